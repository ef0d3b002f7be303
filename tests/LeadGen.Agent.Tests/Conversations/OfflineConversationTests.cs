using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent;
using LeadGen.Core.Telephony;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Agent.Tests.Conversations;

/// <summary>The text conversation API on the offline engine (the default with no Google settings), end to end.</summary>
[Collection(ServersCollection.Name)]
public sealed class OfflineConversationTests(SharedServers servers) : IAsyncLifetime
{
    private AgentApiHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await AgentApiHost.StartAsync(servers, new Dictionary<string, string?>());

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_full_offline_conversation_asks_the_questions_in_order_and_ends_with_a_qualified_lead()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync();

        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();
        Assert.Equal("offline", started["engine"]!.GetValue<string>());
        Assert.Equal("offline", started["model"]!.GetValue<string>());
        var opening = started["reply"]!.GetValue<string>();
        Assert.Contains("AI assistant", opening, StringComparison.Ordinal);
        Assert.Contains("Acme Voice", opening, StringComparison.Ordinal);
        Assert.Contains("rather not be called", opening, StringComparison.Ordinal);
        Assert.EndsWith("Are you looking for a better way to handle inbound leads?", opening, StringComparison.Ordinal);

        var need = await SayAsync(id, "Yes, we lose a lot of leads after hours.");
        Assert.EndsWith("What budget have you set aside for this?", need["reply"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["record_lead_details"], Tools(need));
        var budget = await SayAsync(id, "About $40k for the year.");
        Assert.EndsWith("Are you the person who makes the final decision?", budget["reply"]!.GetValue<string>(), StringComparison.Ordinal);
        var authority = await SayAsync(id, "Yes, I sign off on it.");
        Assert.EndsWith("When would you like to have a solution in place?", authority["reply"]!.GetValue<string>(), StringComparison.Ordinal);
        var timeline = await SayAsync(id, "Ideally in 6 weeks.");
        Assert.EndsWith("What is the best email to send details to?", timeline["reply"]!.GetValue<string>(), StringComparison.Ordinal);
        var last = await SayAsync(id, "It's jane.doe at globex dot com");

        Assert.True(last["ended"]!.GetValue<bool>());
        Assert.Equal("qualified", last["outcome"]!.GetValue<string>());
        Assert.Equal(["record_lead_details", "end_call"], Tools(last));
        Assert.Null(last["analysis"]); // not part of a turn: the last turn enqueued the analyze-call job
        var analysed = await _host.WaitForAnalysisAsync(id);
        await _host.WaitForProcessedJobAsync(CallLifecycle.AnalysisJobId(id)); // it was the analyze-call job that ran
        Assert.Equal("offline", analysed["analysis"]!["engine"]!.GetValue<string>());
        Assert.True(analysed["analysis"]!["qualified"]!.GetValue<bool>());

        // What Postgres holds: the lead qualified with its answers and score, the call completed and analysed.
        var lead = JsonNode.Parse((await _host.Client.GetStringAsync($"/api/leads/{leadId}")))!;
        Assert.Equal("qualified", lead["status"]!.GetValue<string>());
        Assert.Equal("jane.doe@globex.com", lead["email"]!.GetValue<string>());
        Assert.Equal(100, lead["score"]!.GetValue<int>());
        var qualification = lead["qualification"]!;
        Assert.Equal(40000m, qualification["budget"]!.GetValue<decimal>());
        Assert.True(qualification["authority"]!.GetValue<bool>());
        Assert.Equal("Yes, we lose a lot of leads after hours.", qualification["need"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", qualification["timeline"]!.GetValue<string>());
        Assert.Equal(4, qualification["bant"]!["budget"]!.GetValue<int>());
        Assert.Equal("qualified", await _host.ScalarAsync<string>("SELECT disposition FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal("completed", await _host.ScalarAsync<string>("SELECT status FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal("offline", await _host.ScalarAsync<string>("SELECT model FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal(100, await _host.ScalarAsync<int>("SELECT (analysis->>'overallScore')::int FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal(0L, await _host.ScalarAsync<long>("SELECT count(*) FROM agent_conversations WHERE call_id = @id", ("id", id)));

        var view = JsonNode.Parse(await _host.Client.GetStringAsync($"/api/conversations/{id}"))!;
        Assert.True(view["ended"]!.GetValue<bool>());
        var speakers = view["transcript"]!.AsArray().Select(turn => turn!["speaker"]!.GetValue<string>()).ToList();
        Assert.Equal(6, speakers.Count(speaker => speaker == "agent"));
        Assert.Equal(5, speakers.Count(speaker => speaker == "caller"));
        Assert.Equal(6, speakers.Count(speaker => speaker == "tool"));

        // Analysis is idempotent: running the analysis again leaves one, identical result.
        var before = await _host.ScalarAsync<string>("SELECT analysis::text FROM calls WHERE id = @id", ("id", id));
        await _host.Services.GetRequiredService<ICallAnalyzer>().AnalyzeAsync(id, CancellationToken.None);
        Assert.Equal(before, await _host.ScalarAsync<string>("SELECT analysis::text FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal(100, await _host.ScalarAsync<int>("SELECT score FROM leads WHERE id = @id", ("id", leadId)));

        var afterEnd = await _host.Client.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Hello?" });
        Assert.Equal(HttpStatusCode.Conflict, afterEnd.StatusCode);
        Assert.Equal("application/problem+json", afterEnd.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Stop_calling_me_puts_the_number_on_the_do_not_call_list_and_ends()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550188");
        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();

        var reply = await SayAsync(id, "Please stop calling me.");

        Assert.True(reply["ended"]!.GetValue<bool>());
        Assert.Equal("do_not_call", reply["outcome"]!.GetValue<string>());
        Assert.Equal(["mark_do_not_call", "end_call"], Tools(reply));
        Assert.Contains("won't call you again", reply["reply"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("do_not_call", await _host.ScalarAsync<string>("SELECT status FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal("agent", await _host.ScalarAsync<string>("SELECT source FROM do_not_call WHERE phone = '+14155550188'"));
        var again = await _host.Client.PostAsJsonAsync("/api/conversations", new { leadId });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_lead_with_a_live_dialler_call_gets_a_409_and_no_second_live_call()
    {
        var (campaignId, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550177");
        await _host.ScalarAsync<long>("""
            WITH c AS (INSERT INTO calls (id, lead_id, campaign_id, direction, provider, status) VALUES (gen_random_uuid(), @lead, @campaign, 'outbound', 'twilio', 'ringing') RETURNING 1)
            SELECT count(*) FROM c
            """, ("lead", leadId), ("campaign", campaignId));

        var started = await _host.Client.PostAsJsonAsync("/api/conversations", new { leadId });

        Assert.Equal(HttpStatusCode.Conflict, started.StatusCode);
        Assert.Contains("call in progress", await started.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1L, await _host.ScalarAsync<long>("SELECT count(*) FROM calls WHERE lead_id = @lead", ("lead", leadId)));
    }

    [Fact]
    public async Task A_callback_request_books_the_callback_at_the_time_named()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550199");
        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();

        var reply = await SayAsync(id, "I'm busy right now, call me back tomorrow at 3pm.");

        Assert.Equal("callback", reply["outcome"]!.GetValue<string>());
        Assert.Equal(["schedule_callback", "end_call"], Tools(reply));
        var scheduled = await _host.ScalarAsync<DateTime>("SELECT scheduled_for FROM callbacks WHERE lead_id = @id AND status = 'scheduled'", ("id", leadId));
        Assert.Equal(DateTime.UtcNow.Date.AddDays(1).AddHours(15), scheduled.ToUniversalTime());
        Assert.Equal("callback", await _host.ScalarAsync<string>("SELECT status FROM leads WHERE id = @id", ("id", leadId)));
    }

    [Fact]
    public async Task Erasing_the_lead_forgets_its_open_conversation()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550166");
        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();
        await SayAsync(id, "Yes, we lose a lot of leads after hours.");

        var erased = await _host.Client.DeleteAsync($"/api/leads/{leadId}");
        var next = await _host.Client.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Hello again" });

        Assert.True(erased.IsSuccessStatusCode, await erased.Content.ReadAsStringAsync());
        Assert.Equal(0L, await _host.ScalarAsync<long>("SELECT count(*) FROM agent_conversations WHERE call_id = @id", ("id", id)));
        Assert.Equal(0L, await _host.ScalarAsync<long>("SELECT count(*) FROM call_turns WHERE call_id = @id AND text <> ''", ("id", id)));
        Assert.Equal(HttpStatusCode.Conflict, next.StatusCode);
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_and_the_api_key_is_required()
    {
        var missingLead = await _host.Client.PostAsJsonAsync("/api/conversations", new { leadId = (Guid?)null });
        var unknownLead = await _host.Client.PostAsJsonAsync("/api/conversations", new { leadId = Guid.NewGuid() });
        var unknownConversation = await _host.Client.PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/messages", new { text = "hi" });
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        var unauthorized = await anonymous.PostAsJsonAsync("/api/conversations", new { leadId = Guid.NewGuid() });
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550177");
        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var tooLong = await _host.Client.PostAsJsonAsync($"/api/conversations/{started["conversationId"]}/messages", new { text = new string('a', 2001) });

        Assert.Equal(HttpStatusCode.BadRequest, missingLead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownLead.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownConversation.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        foreach (var response in new[] { missingLead, unknownLead, unknownConversation, unauthorized, tooLong })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // The rejected message left nothing behind: only the opening line is in the transcript.
        Assert.Equal(1L, await _host.ScalarAsync<long>("SELECT count(*) FROM call_turns WHERE call_id = @id", ("id", started["conversationId"]!.GetValue<Guid>())));
    }

    private Task<JsonObject> SayAsync(Guid conversationId, string text) =>
        _host.PostAsync($"/api/conversations/{conversationId}/messages", new { text });

    private static List<string> Tools(JsonObject turn) =>
        turn["toolCalls"]!.AsArray().Select(tool => tool!.GetValue<string>()).ToList();
}
