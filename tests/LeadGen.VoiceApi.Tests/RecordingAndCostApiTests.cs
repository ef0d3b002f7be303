using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LeadGen.Core.Calls;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.VoiceApi.Tests;

/// <summary>The management API's side of recordings and costs: the campaign setting, and costs in calls and stats.</summary>
[Collection(ApiCollection.Name)]
public sealed class RecordingAndCostApiTests(ApiFixture api)
{
    [Fact]
    public async Task Record_calls_defaults_to_on_round_trips_and_rejects_a_non_boolean()
    {
        var byDefault = await api.Client.CreateCampaignAsync("Records", new { });
        var off = await api.Client.CreateCampaignAsync("Does not record", new { recordCalls = false });
        var bad = await api.Client.PostAsJsonAsync("/api/campaigns", new { name = "Bad", settings = new { recordCalls = "sometimes" } });

        Assert.True(byDefault["settings"]!["recordCalls"]!.GetValue<bool>());
        Assert.False((await api.Client.GetJsonAsync($"/api/campaigns/{off.Id()}"))["settings"]!["recordCalls"]!.GetValue<bool>());
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_calls_cost_shows_in_the_call_and_in_campaign_stats_with_cost_per_qualified_lead()
    {
        var campaign = await api.Client.CreateCampaignAsync("Costs", new { });
        var calls = api.Services.GetRequiredService<CallStore>();
        var lead = await (await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new { phone = "2129020177" })).ReadJsonAsync();
        await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { status = "qualified" });
        var call = await calls.CreateAsync(new NewCall { LeadId = lead.Id(), CampaignId = campaign.Id(), Direction = CallDirections.Outbound, Provider = "twilio" }, CancellationToken.None);
        await using (var command = api.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            """UPDATE calls SET cost_usd = 0.42, cost_detail = '{"modelUsd":0.4,"telephonyUsd":0.02,"billedMinutes":1,"unpriced":[]}' WHERE id = @id"""))
        {
            command.Parameters.AddWithValue("id", call.Id);
            await command.ExecuteNonQueryAsync();
        }

        var read = await api.Client.GetJsonAsync($"/api/calls/{call.Id}");
        var stats = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats");

        Assert.Equal(0.42m, read["call"]!["costUsd"]!.GetValue<decimal>());
        Assert.Equal(1, read["call"]!["costDetail"]!["billedMinutes"]!.GetValue<int>());
        Assert.Equal(0.42m, stats["totalCostUsd"]!.GetValue<decimal>());
        Assert.Equal(1, stats["callsCosted"]!.GetValue<long>());
        Assert.Equal(0.42m, decimal.Parse(stats["costPerQualifiedLead"]!.ToJsonString(), CultureInfo.InvariantCulture));
    }
}
