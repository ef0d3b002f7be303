using LeadGen.Core.Calls;
using LeadGen.Core.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LeadGen.Console.Tests;

/// <summary>The overview's figures, whose older hours are counted at most once a minute and recent ones every time.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OverviewQueryTests(ConsoleFixture console)
{
    private readonly ConsoleData _data = new(console.Services);

    [Fact]
    public async Task Todays_figures_and_the_hourly_chart_add_settled_and_recent_hours_and_settled_hours_catch_up_within_a_minute()
    {
        var campaign = await _data.CampaignAsync("Overview " + Guid.NewGuid().ToString("N")[..6]);
        var now = new DateTimeOffset(2026, 12, 2, 15, 20, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(now);
        var query = new OverviewQuery(console.Services.GetRequiredService<NpgsqlDataSource>(), clock);
        await CallAsync(campaign.Id, now.AddHours(-26), "qualified", human: true, tokens: 0);  // outside the chart and today
        await CallAsync(campaign.Id, now.AddHours(-20), "no_answer", human: false, tokens: 0); // yesterday, in the chart
        await CallAsync(campaign.Id, now.AddHours(-5), "qualified", human: true, tokens: 0);   // today, settled hour
        await CallAsync(campaign.Id, now.AddMinutes(-30), "qualified", human: true, tokens: 700); // today, last hour
        await CallAsync(campaign.Id, now.AddMinutes(-90), "busy", human: false, tokens: 300);  // the previous hour: recent, outside the last 60 min

        var figures = await query.GetAsync(campaign.Id, CancellationToken.None);

        Assert.Equal(3, figures.Dials);
        Assert.Equal(2, figures.Conversations);
        Assert.Equal(2, figures.Qualified);
        Assert.Equal(700, figures.TokensLastHour);
        Assert.Equal(
            [(Hour(now, -20), "no_answer"), (Hour(now, -5), "qualified"), (Hour(now, -2), "busy"), (Hour(now, -1), "qualified")],
            figures.CallsPerHour.Select(h => (h.Hour, h.Outcome)));

        // A call of a settled hour changes (late analysis): shown once the minute is up, not before; recent ones at once.
        await CallAsync(campaign.Id, now.AddHours(-4), "disqualified", human: true, tokens: 0);
        await CallAsync(campaign.Id, now.AddMinutes(-10), "callback", human: true, tokens: 0);
        Assert.Equal(4, (await query.GetAsync(campaign.Id, CancellationToken.None)).Dials);
        clock.Advance(OverviewQuery.SettledHoursMaxAge);
        Assert.Equal(5, (await query.GetAsync(campaign.Id, CancellationToken.None)).Dials);
    }

    /// <summary>The whole UTC hour <paramref name="hours"/> from 15:00, the hour of the test's clock (15:20).</summary>
    private static DateTimeOffset Hour(DateTimeOffset now, int hours) => now.AddMinutes(-now.Minute).AddHours(hours);

    private async Task CallAsync(Guid campaignId, DateTimeOffset createdAt, string disposition, bool human, long tokens)
    {
        var call = await console.Services.GetRequiredService<CallStore>().CreateAsync(new NewCall
        {
            CampaignId = campaignId,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            Status = CallStatuses.Completed,
        }, CancellationToken.None);
        await using var command = console.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "UPDATE calls SET created_at = @at, disposition = @disposition, answered_by = @answered_by, answered_at = CASE WHEN @human THEN @at END, input_tokens = @tokens WHERE id = @id");
        command.Parameters.AddWithValue("at", createdAt);
        command.Parameters.AddWithValue("disposition", disposition);
        command.Parameters.AddWithValue("answered_by", human ? "human" : (object)DBNull.Value);
        command.Parameters.AddWithValue("human", human);
        command.Parameters.AddWithValue("tokens", tokens);
        command.Parameters.AddWithValue("id", call.Id);
        await command.ExecuteNonQueryAsync();
    }
}
