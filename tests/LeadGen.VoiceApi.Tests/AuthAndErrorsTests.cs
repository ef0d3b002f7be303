using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace LeadGen.VoiceApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthAndErrorsTests(ApiFixture api)
{
    [Fact]
    public async Task Api_requires_the_key_and_health_stays_open()
    {
        using var anonymous = api.NewClient(null);
        using var wrong = api.NewClient(ApiFixture.ApiKey + "x");

        var missing = await anonymous.GetAsync("/api/campaigns");
        var bad = await wrong.GetAsync("/api/campaigns");
        var badPost = await wrong.PostAsJsonAsync("/api/campaigns", new { name = "nope" });
        var good = await api.Client.GetAsync("/api/campaigns");
        var alive = await anonymous.GetAsync("/alive");
        var health = await anonymous.GetAsync("/health");

        await missing.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await bad.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await badPost.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Invalid_campaign_gets_400_with_every_bad_field_named()
    {
        var response = await api.Client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "",
            settings = new
            {
                maxAttempts = 0,
                callingWindowStart = "25:00",
                callerId = "123",
                voicemailAction = "leave_message",
                qualificationQuestions = new[] { new { key = "Budget!", question = "" } },
                defaultTimeZone = "Mars/Olympus",
                voiceMode = "telepathy",
            },
        });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Equal(
            new[]
            {
                "name", "settings.callerId", "settings.callingWindowStart", "settings.defaultTimeZone", "settings.maxAttempts",
                "settings.qualificationQuestions[0].key", "settings.qualificationQuestions[0].question", "settings.voiceMode",
                "settings.voicemailMessage",
            },
            errors.Select(pair => pair.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Voice_mode_defaults_to_native_audio_and_conversation_relay_round_trips()
    {
        var native = await api.Client.PostAsJsonAsync("/api/campaigns", new { name = "Native", settings = new { } });
        var relay = await api.Client.PostAsJsonAsync("/api/campaigns", new { name = "Relay", settings = new { voiceMode = "conversation_relay" } });

        Assert.Equal("native_audio", (await native.ReadJsonAsync())["settings"]!["voiceMode"]!.GetValue<string>());
        var created = await relay.ReadJsonAsync();
        var read = await (await api.Client.GetAsync($"/api/campaigns/{created["id"]!.GetValue<string>()}")).ReadJsonAsync();
        Assert.Equal("conversation_relay", read["settings"]!["voiceMode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_json_unknown_ids_conflicts_and_oversized_bodies_are_problem_details()
    {
        var malformed = await api.Client.PostAsync("/api/campaigns", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"));
        var unknownCampaign = await api.Client.GetAsync($"/api/campaigns/{Guid.NewGuid()}");
        var unknownLead = await api.Client.DeleteAsync($"/api/leads/{Guid.NewGuid()}");
        var huge = await api.Client.PostAsync("/api/campaigns", new StringContent($"{{\"name\":\"{new string('x', 2 * 1024 * 1024)}\"}}", Encoding.UTF8, "application/json"));

        var campaign = await api.Client.CreateCampaignAsync("Pause me");
        var pauseDraft = await api.Client.PostAsync($"/api/campaigns/{campaign.Id()}/pause", null);
        var start = await api.Client.PostAsync($"/api/campaigns/{campaign.Id()}/start", null);
        var startAgain = await api.Client.PostAsync($"/api/campaigns/{campaign.Id()}/start", null);
        await api.Client.ImportAsync(campaign.Id(), "phone\n2122010001\n");
        var deleteInUse = await api.Client.DeleteAsync($"/api/campaigns/{campaign.Id()}");

        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
        await unknownCampaign.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknownLead.AssertProblemAsync(HttpStatusCode.NotFound);
        await huge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await pauseDraft.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("running", (await start.ReadJsonAsync())["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, startAgain.StatusCode);
        await deleteInUse.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Import_over_the_size_limit_gets_413_and_imports_nothing()
    {
        var campaign = await api.Client.CreateCampaignAsync("Too big");
        var body = new StringBuilder("phone,name\n");
        for (var i = 0; body.Length < 6 * 1024 * 1024; i++)
        {
            body.Append(CultureInfoInvariant($"212{2010000 + (i % 9_000_000)},Someone with a long name number {i}\n"));
        }

        var response = await api.Client.ImportAsync(campaign.Id(), body.ToString());

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var leads = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/leads");
        Assert.Empty(leads["items"]!.AsArray());
    }

    [Fact]
    public async Task Chunked_import_without_length_is_cut_off_at_the_limit_while_streaming()
    {
        var campaign = await api.Client.CreateCampaignAsync("Chunked too big");
        var rows = Enumerable.Range(0, 200_000).Select(i => FormattableString.Invariant($"212{2010000 + i},A lead with a name long enough to add up {i}\n"));
        var bytes = Encoding.UTF8.GetBytes("phone,name\n" + string.Concat(rows));
        Assert.True(bytes.Length > 2 * 1024 * 1024);
        using var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new("text/csv");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{campaign.Id()}/leads/import") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await api.Client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty((await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/leads"))["items"]!.AsArray());
        var imports = await api.Client.GetAsync($"/api/campaigns/{campaign.Id()}/imports");
        var importsText = await imports.Content.ReadAsStringAsync();
        Assert.True(imports.IsSuccessStatusCode, importsText);
        var job = System.Text.Json.Nodes.JsonNode.Parse(importsText)!.AsArray().Single()!;
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal(0, job["rowsImported"]!.GetValue<int>());
    }

    /// <summary>Forces HttpClient to send the body chunked (no Content-Length), like a piped upload.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task OpenApi_document_and_scalar_ui_are_served_in_development()
    {
        var document = await api.Client.GetJsonAsync("/openapi/v1.json");
        var scalar = await api.Client.GetAsync("/scalar/v1");

        Assert.Contains("/api/campaigns/{campaignId}/leads/import", document["paths"]!.AsObject().Select(p => p.Key));
        Assert.Equal("X-Api-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
