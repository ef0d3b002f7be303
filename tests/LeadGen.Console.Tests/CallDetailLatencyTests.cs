using LeadGen.Core.Calls;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class CallDetailLatencyTests(ConsoleFixture console)
{
    private readonly ConsoleData _data = new(console.Services);

    [Fact]
    public void Latency_is_from_the_end_of_the_leads_turn_to_the_start_of_the_agents_answer_and_only_for_answers()
    {
        var t0 = DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var turns = Turns(t0);

        var latencies = TurnLatencies.Of(turns);

        Assert.Equal([(2, 1, 850.0), (5, 3, 1200.0)], latencies.Select(l => (l.AgentSeq, l.CallerSeq, l.Milliseconds)));
        Assert.Equal(850, TurnLatencies.Percentile(latencies, 50));
        Assert.Equal(1200, TurnLatencies.Percentile(latencies, 95));
        Assert.Null(TurnLatencies.Percentile([], 50));
    }

    [Fact]
    public async Task The_call_detail_shows_the_response_latency_of_each_answer_and_each_agent_turns_tokens_and_cost()
    {
        var campaign = await _data.CampaignAsync("Latency " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Lana Latency", "+14155550555");
        var callId = await _data.LiveCallAsync(lead); // seq 0: the agent's opening
        var calls = console.Services.GetRequiredService<CallStore>();
        foreach (var turn in Turns(DateTimeOffset.UtcNow).Where(turn => turn.Seq > 0))
        {
            await calls.AppendTurnAsync(turn with { CallId = callId }, CancellationToken.None);
        }

        // Priced at $3 / $12 per million tokens: turn 2's 1,000 in / 200 out cost $0.0054.
        await using (var command = console.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().CreateCommand(
            """UPDATE calls SET cost_usd = 0.02, cost_detail = '{"modelUsd":0.01,"telephonyUsd":0.01,"billedMinutes":1,"unpriced":[],"inputUsdPerMillion":3,"outputUsdPerMillion":12}' WHERE id = @id"""))
        {
            command.Parameters.AddWithValue("id", callId);
            await command.ExecuteNonQueryAsync();
        }

        var page = await console.SignedInPageAsync("viewer");
        await ConsoleFixture.OpenAsync(page, $"calls/{callId}");
        await page.WaitForSelectorAsync("table[aria-label='Response latency per agent turn']");

        Assert.Contains("850 ms", await page.InnerTextAsync("tr[data-agent-seq='2']"), StringComparison.Ordinal);
        Assert.Contains("1,200 ms", await page.InnerTextAsync("tr[data-agent-seq='5']"), StringComparison.Ordinal);
        Assert.Contains("Median 850 ms, p95 1,200 ms", await page.InnerTextAsync("[data-testid=latency-summary]"), StringComparison.Ordinal);
        var tokens = await page.Locator("[data-testid=turn-tokens]").AllInnerTextsAsync();
        Assert.Equal(["1,000 / 200 tokens · $0.0054", "1,500 / 40 tokens · $0.00498"], tokens.Select(text => text.Trim()));
        await PageChecks.AssertAccessibleAsync(page, "call detail with latency");
        await PageChecks.ScreenshotAsync(page, "call-detail-latency-1280x800");
        await page.Context.CloseAsync();
    }

    /// <summary>Opening; lead; answer after 850 ms; lead; tool note; answer 1.2 s after the lead's turn ended.</summary>
    private static List<CallTurn> Turns(DateTimeOffset t0) =>
    [
        Turn(0, CallSpeakers.Agent, "Hi, this is Ava. Is now a good time?", t0, t0.AddSeconds(3)),
        Turn(1, CallSpeakers.Caller, "Yes, go ahead.", t0.AddSeconds(4), t0.AddSeconds(5)),
        Turn(2, CallSpeakers.Agent, "What budget do you have in mind?", t0.AddSeconds(5).AddMilliseconds(850), t0.AddSeconds(8)) with { InputTokens = 1000, OutputTokens = 200 },
        Turn(3, CallSpeakers.Caller, "About fifty thousand.", t0.AddSeconds(9), t0.AddSeconds(11)),
        Turn(4, CallSpeakers.System, "record_lead_details {\"budget\":50000}", t0.AddSeconds(11.5), t0.AddSeconds(11.5)),
        Turn(5, CallSpeakers.Agent, "Thanks, noted.", t0.AddSeconds(12.2), t0.AddSeconds(13)) with { InputTokens = 1500, OutputTokens = 40 },
    ];

    private static CallTurn Turn(int seq, string speaker, string text, DateTimeOffset started, DateTimeOffset ended) =>
        new() { CallId = Guid.Empty, Seq = seq, Speaker = speaker, Text = text, StartedAt = started, EndedAt = ended };
}
