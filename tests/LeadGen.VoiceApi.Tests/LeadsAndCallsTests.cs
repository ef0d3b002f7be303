using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.VoiceApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class LeadsAndCallsTests(ApiFixture api)
{
    [Fact]
    public async Task Keyset_paging_is_stable_while_leads_are_added_and_erased_between_pages()
    {
        var campaign = await api.Client.CreateCampaignAsync("Paging");
        var csv = new StringBuilder("phone\n");
        for (var i = 0; i < 250; i++)
        {
            csv.Append(ImportTests.Phone(300_000 + i)).Append('\n');
        }

        Assert.Equal(HttpStatusCode.OK, (await api.Client.ImportAsync(campaign.Id(), csv.ToString())).StatusCode);
        var seen = new List<Guid>();
        string? cursor = null;
        var page = 0;
        do
        {
            var url = $"/api/campaigns/{campaign.Id()}/leads?limit=40" + (cursor is null ? string.Empty : $"&after={cursor}");
            var body = await api.Client.GetJsonAsync(url);
            seen.AddRange(body["items"]!.AsArray().Select(item => item!.Id()));
            cursor = body["nextCursor"]?.GetValue<string>();
            if (page++ == 1)
            {
                // Between pages: a new lead arrives and an already-seen lead is erased.
                var added = await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new { phone = ImportTests.Phone(399_999) });
                Assert.Equal(HttpStatusCode.Created, added.StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync($"/api/leads/{seen[5]}")).StatusCode);
            }
        }
        while (cursor is not null);

        Assert.Equal(251, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.Order().ToList(), seen);
    }

    [Fact]
    public async Task Erasing_a_lead_removes_personal_data_from_lead_calls_and_turns_and_keeps_counts()
    {
        var campaign = await api.Client.CreateCampaignAsync("Erasure");
        var created = await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new
        {
            name = "Zelda Quixote", phone = "212 801 0001", email = "zelda@quixote.example", company = "Quixote Windmills", role = "Owner",
        });
        var lead = await created.ReadJsonAsync();
        var calls = api.Services.GetRequiredService<CallStore>();
        var call = await calls.CreateAsync(new NewCall { LeadId = lead.Id(), CampaignId = campaign.Id(), Direction = CallDirections.Outbound, Provider = "simulator", ToNumber = "+12128010001", FromNumber = "+12128019999" }, CancellationToken.None);
        await calls.AppendTurnAsync(new CallTurn { CallId = call.Id, Seq = 0, Speaker = CallSpeakers.Agent, Text = "Hello Zelda, I am an AI assistant.", StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        await calls.AppendTurnAsync(new CallTurn { CallId = call.Id, Seq = 1, Speaker = CallSpeakers.Caller, Text = "Quixote Windmills needs it by May.", StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        await calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Completed, DurationSeconds = 61 }, CancellationToken.None);
        await calls.RecordOutcomeAsync(call.Id, new CallOutcome { Disposition = CallDispositions.Qualified, Summary = "Zelda wants windmill sensors", Extracted = new JsonObject { ["email"] = "zelda@quixote.example" } }, CancellationToken.None);
        await calls.AddTokenUsageAsync(call.Id, 500, 120, CancellationToken.None);
        var before = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats");

        var erase = await api.Client.DeleteAsync($"/api/leads/{lead.Id()}");

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "leads", "calls", "call_turns", "callbacks" })
            {
                await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE t::text ~* '(zelda|quixote|8010001|8019999)'", connection);
                Assert.True(0L == (long)(await command.ExecuteScalarAsync())!, $"personal data left in {table}");
            }
        }

        var erased = await api.Client.GetJsonAsync($"/api/leads/{lead.Id()}");
        Assert.Null(erased["phone"]);
        Assert.NotNull(erased["erasedAt"]);
        var details = await api.Client.GetJsonAsync($"/api/calls/{call.Id}");
        Assert.Equal(2, details["transcript"]!.AsArray().Count);
        Assert.Equal(61, details["call"]!["durationSeconds"]!.GetValue<int>());
        var after = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var patchErased = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { name = "Back" });
        await patchErased.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Patch_validates_fields_and_keeps_do_not_call_consistent()
    {
        var campaign = await api.Client.CreateCampaignAsync("Patch");
        var lead = await (await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new { phone = "2129010001", name = "Pat" })).ReadJsonAsync();
        var other = await (await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new { phone = "2129010002" })).ReadJsonAsync();

        var invalid = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { email = "nope", status = "sleeping", score = 101, id = Guid.NewGuid() });
        var duplicate = await api.Client.PatchAsJsonAsync($"/api/leads/{other.Id()}", new { phone = "(212) 901-0001" });
        var ok = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { email = "pat@example.com", timeZone = "America/Chicago", score = 70, company = (string?)null });
        var optOut = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { status = "do_not_call" });
        var listedAfterOptOut = (await api.Client.GetJsonAsync("/api/do-not-call/check?phone=2129010001"))["listed"]!.GetValue<bool>();
        var backToNew = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { status = "new" });
        var removed = await api.Client.DeleteAsync("/api/do-not-call/+12129010001");
        var backAfterRemoval = await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { status = "new" });

        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "email", "id", "score", "status" }, (await invalid.ReadJsonAsync())["errors"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        var patched = await ok.ReadJsonAsync();
        Assert.Equal(("pat@example.com", "America/Chicago", 70, "Pat"), (patched["email"]!.GetValue<string>(), patched["timeZone"]!.GetValue<string>(), patched["score"]!.GetValue<int>(), patched["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, optOut.StatusCode);
        Assert.True(listedAfterOptOut);
        await backToNew.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal("new", (await backAfterRemoval.ReadJsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Calls_list_filters_and_campaign_stats_aggregate()
    {
        var campaign = await api.Client.CreateCampaignAsync("Stats", new { qualificationQuestions = new[] { new { key = "budget", question = "What is your budget?" } } });
        var calls = api.Services.GetRequiredService<CallStore>();
        var durations = new[] { 30, 90 };
        for (var i = 0; i < 2; i++)
        {
            var lead = await (await api.Client.PostAsJsonAsync($"/api/campaigns/{campaign.Id()}/leads", new { phone = string.Create(CultureInfo.InvariantCulture, $"21290200{i:D2}") })).ReadJsonAsync();
            await api.Client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { status = i == 0 ? "qualified" : "disqualified" });
            var call = await calls.CreateAsync(new NewCall { LeadId = lead.Id(), CampaignId = campaign.Id(), Direction = CallDirections.Outbound, Provider = "simulator" }, CancellationToken.None);
            await calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Completed, AnsweredAt = DateTimeOffset.UtcNow, DurationSeconds = durations[i] }, CancellationToken.None);
            await calls.AddTokenUsageAsync(call.Id, 1000, 100, CancellationToken.None);
        }

        var stats = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats");
        var listed = await api.Client.GetJsonAsync($"/api/calls?campaignId={campaign.Id()}&status=completed&limit=1");
        var badStatus = await api.Client.GetAsync("/api/calls?status=exploded");

        Assert.Equal(0.5, stats["qualificationRate"]!.GetValue<double>());
        Assert.Equal(60, stats["averageCallDurationSeconds"]!.GetValue<double>());
        Assert.Equal((2000L, 200L, 2L), (stats["inputTokens"]!.GetValue<long>(), stats["outputTokens"]!.GetValue<long>(), stats["callsAnswered"]!.GetValue<long>()));
        Assert.Equal(1, stats["leadsByStatus"]!["qualified"]!.GetValue<long>());
        Assert.Single(listed["items"]!.AsArray());
        Assert.NotNull(listed["nextCursor"]);
        await badStatus.AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
