using System.Net;
using System.Net.Http.Json;

namespace LeadGen.VoiceApi.Tests;

/// <summary>A campaign's live-call turn-taking through the management API: phone defaults, a round trip, clear errors.</summary>
[Collection(ApiCollection.Name)]
public sealed class CampaignTurnTakingApiTests(ApiFixture api)
{
    [Fact]
    public async Task Turn_taking_defaults_to_the_phone_settings_and_a_campaigns_own_values_round_trip()
    {
        var plain = await (await api.Client.PostAsJsonAsync("/api/campaigns", new { name = "Defaults", settings = new { } })).ReadJsonAsync();
        var tuned = await (await api.Client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "Patient listener",
            settings = new
            {
                language = "es-US",
                voice = "Puck",
                turnTaking = new { startSensitivity = "high", endSensitivity = "low", prefixPaddingMs = 300, silenceDurationMs = 1200, interruptOnSpeech = false },
            },
        })).ReadJsonAsync();
        var read = await (await api.Client.GetAsync($"/api/campaigns/{tuned["id"]!.GetValue<string>()}")).ReadJsonAsync();

        Assert.Equal("""{"startSensitivity":"low","endSensitivity":"high","prefixPaddingMs":100,"silenceDurationMs":500,"interruptOnSpeech":true}""", plain["settings"]!["turnTaking"]!.ToJsonString());
        Assert.Equal("""{"startSensitivity":"high","endSensitivity":"low","prefixPaddingMs":300,"silenceDurationMs":1200,"interruptOnSpeech":false}""", read["settings"]!["turnTaking"]!.ToJsonString());
        Assert.Equal(("es-US", "Puck"), (read["settings"]!["language"]!.GetValue<string>(), read["settings"]!["voice"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_turn_taking_values_are_named_one_by_one()
    {
        var response = await api.Client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "Bad",
            settings = new { turnTaking = new { startSensitivity = "medium", endSensitivity = "HIGH", prefixPaddingMs = -5, silenceDurationMs = 60_000 } },
        });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(
            ["settings.turnTaking.prefixPaddingMs", "settings.turnTaking.silenceDurationMs", "settings.turnTaking.startSensitivity"],
            errors.Select(pair => pair.Key).Order(StringComparer.Ordinal));
    }
}
