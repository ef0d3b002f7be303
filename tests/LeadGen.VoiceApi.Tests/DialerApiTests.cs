using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadGen.Testing;
using Npgsql;

namespace LeadGen.VoiceApi.Tests;

/// <summary>The dialer as operators see it: campaign pacing, starting only with a telephony provider, and the dialer state.</summary>
[Collection(ApiCollection.Name)]
public sealed class DialerApiTests(ApiFixture api)
{
    [Fact]
    public async Task Starting_a_campaign_without_a_telephony_provider_is_a_409_that_says_what_to_configure()
    {
        await using var app = await KestrelApp.StartAsync<Program>(api.Servers, "notelephony", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = ApiFixture.ApiKey,
        });
        using var client = app.CreateClient(ApiFixture.ApiKey);
        var campaign = await client.CreateCampaignAsync("No phones yet");

        var start = await client.PostAsync($"/api/campaigns/{campaign.Id()}/start", null);

        await start.AssertProblemAsync(HttpStatusCode.Conflict);
        var detail = (await start.ReadJsonAsync())["detail"]!.GetValue<string>();
        Assert.Contains("Telephony:Provider", detail, StringComparison.Ordinal);
        Assert.Contains("Twilio:AccountSid", detail, StringComparison.Ordinal);
        Assert.Equal("draft", (await client.GetJsonAsync($"/api/campaigns/{campaign.Id()}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Max_concurrent_calls_is_a_validated_campaign_setting()
    {
        var created = await api.Client.CreateCampaignAsync("Paced", new { maxConcurrentCalls = 4 });
        Assert.Equal(4, created["settings"]!["maxConcurrentCalls"]!.GetValue<int>());
        Assert.Equal(4, (await api.Client.GetJsonAsync($"/api/campaigns/{created.Id()}"))["settings"]!["maxConcurrentCalls"]!.GetValue<int>());

        var updated = await api.Client.PutAsJsonAsync($"/api/campaigns/{created.Id()}", new { name = "Paced", settings = new { maxConcurrentCalls = 7 } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(7, (await updated.ReadJsonAsync())["settings"]!["maxConcurrentCalls"]!.GetValue<int>());

        var unset = await api.Client.PutAsJsonAsync($"/api/campaigns/{created.Id()}", new { name = "Paced", settings = new { } });
        Assert.Null((await unset.ReadJsonAsync())["settings"]!["maxConcurrentCalls"]);

        foreach (var bad in new[] { 0, -1, 1001 })
        {
            var rejected = await api.Client.PostAsJsonAsync("/api/campaigns", new { name = "Bad pacing", settings = new { maxConcurrentCalls = bad } });
            await rejected.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.NotNull((await rejected.ReadJsonAsync())["errors"]!["settings.maxConcurrentCalls"]);
        }
    }

    [Fact]
    public async Task The_dialer_state_shows_live_calls_free_slots_the_next_due_lead_and_the_last_dial_error()
    {
        var campaign = await api.Client.CreateCampaignAsync("Dialer state", new { maxConcurrentCalls = 3, consentRequired = false });
        var id = campaign.Id();
        var due = DateTimeOffset.UtcNow.AddHours(2);
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                INSERT INTO leads (id, campaign_id, phone, status) VALUES (@a, @campaign, '+12125550101', 'calling'), (@b, @campaign, '+12125550102', 'new');
                UPDATE leads SET next_attempt_at = @due WHERE id = @b;
                INSERT INTO calls (id, lead_id, campaign_id, direction, provider, status, created_at)
                VALUES (gen_random_uuid(), @a, @campaign, 'outbound', 'simulator', 'ringing', now()),
                       (gen_random_uuid(), @b, @campaign, 'outbound', 'simulator', 'failed', now() - interval '1 minute');
                UPDATE calls SET error = 'The telephony provider could not place the call: 401', ended_at = now() - interval '1 minute'
                WHERE campaign_id = @campaign AND status = 'failed';
                """, connection);
            command.Parameters.AddWithValue("a", Guid.NewGuid());
            command.Parameters.AddWithValue("b", Guid.NewGuid());
            command.Parameters.AddWithValue("campaign", id);
            command.Parameters.AddWithValue("due", due);
            await command.ExecuteNonQueryAsync();
        }

        var state = await api.Client.GetJsonAsync($"/api/campaigns/{id}/dialer");

        Assert.Equal(1, state["liveCalls"]!.GetValue<int>());
        Assert.Equal(3, state["maxConcurrentCalls"]!.GetValue<int>());
        Assert.Equal(2, state["freeSlots"]!.GetValue<int>());
        Assert.Equal("simulator", state["telephonyProvider"]!.GetValue<string>());
        Assert.Equal(due.ToUnixTimeSeconds(), state["nextDueLeadAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Contains("401", state["lastDialError"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, state["liveCallsByStatus"]!["ringing"]!.GetValue<int>());
        await (await api.Client.GetAsync($"/api/campaigns/{Guid.NewGuid()}/dialer")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
