using System.Net;
using System.Text.Json.Nodes;
using LeadGen.Agent.Tests.Fakes;
using LeadGen.Testing;

namespace LeadGen.Agent.Tests.Conversations;

/// <summary>
/// The same conversation API in Vertex mode against the fake Vertex server: scripted function calls (with thought
/// signatures the fake insists on getting back) drive the tools, and the analysis comes back as schema'd JSON.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class VertexConversationTests(SharedServers servers) : IAsyncLifetime
{
    private FakeVertexServer _vertex = null!;
    private AgentApiHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _vertex = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "us-central1", VertexTestClients.Model, VertexTestClients.Token));
        _host = await AgentApiHost.StartAsync(
            servers,
            new Dictionary<string, string?>
            {
                ["Mode"] = "vertex",
                ["Project"] = VertexTestClients.Project,
                ["Location"] = "us-central1",
                ["Model"] = VertexTestClients.Model,
                ["Endpoint"] = _vertex.BaseUri.ToString(),
                ["RetryBaseDelay"] = "00:00:00.050",
            },
            VertexTestClients.TokenAuthenticator());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _vertex.DisposeAsync();
    }

    [Fact]
    public async Task Scripted_tool_calls_from_Vertex_qualify_the_lead_in_Postgres()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550111");
        var timeline = DateTime.UtcNow.Date.AddDays(45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // Turn 1: the model records the need (signed), then asks about budget.
        _vertex.Enqueue(FakeReply.FunctionCall("record_lead_details", new JsonObject
        {
            ["need"] = "losing leads after hours",
            ["answers"] = new JsonArray(new JsonObject { ["key"] = "need", ["answer"] = "yes" }),
        }, thoughtSignature: "c2lnLXR1cm4tMQ=="));
        _vertex.Enqueue(FakeReply.Text("Got it. What budget have you set aside for this?"));
        // Turn 2: everything else at once, then end_call, then the closing line.
        _vertex.Enqueue(FakeReply.FunctionCalls(
            "c2lnLXR1cm4tMg==",
            ("record_lead_details", new JsonObject { ["budget"] = 40000, ["currency"] = "USD", ["isDecisionMaker"] = true, ["timeline"] = timeline, ["email"] = "Jane.Doe@Globex.com" }),
            ("end_call", new JsonObject { ["outcome"] = "qualified", ["summary"] = "Budget, authority, need and timeline confirmed." })));
        _vertex.Enqueue(FakeReply.Text("Thank you Jane, a specialist will follow up shortly. Goodbye!"));
        // Post-call analysis: JSON under the response schema.
        _vertex.Enqueue(request => request.Json["generationConfig"]?["responseMimeType"]?.GetValue<string>() == "application/json"
            ? FakeReply.Text("""{"summary":"Jane at Globex needs after-hours lead handling, has 40k USD, decides herself and wants it within two months.","bant":{"budget":4,"authority":4,"need":4,"timeline":4},"overallScore":92,"qualified":true,"nextStep":"Book a demo with a specialist this week."}""", promptTokens: 300, outputTokens: 60)
            : FakeReply.GoogleError(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "analysis request must ask for JSON"));

        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();
        var first = await _host.PostAsync($"/api/conversations/{id}/messages", new { text = "Yes, we keep losing leads after hours." });
        var second = await _host.PostAsync($"/api/conversations/{id}/messages", new { text = "We have 40k, I decide, within six weeks; jane.doe@globex.com" });

        Assert.Empty(_vertex.Violations);
        Assert.Equal("vertex", started["engine"]!.GetValue<string>());
        Assert.Equal("Got it. What budget have you set aside for this?", first["reply"]!.GetValue<string>());
        Assert.False(first["ended"]!.GetValue<bool>());
        Assert.True(second["ended"]!.GetValue<bool>());
        Assert.Equal("qualified", second["outcome"]!.GetValue<string>());
        var analysed = await _host.WaitForAnalysisAsync(id); // the Worker's analyze-call job, enqueued by the last turn
        Assert.Equal(92, analysed["analysis"]!["overallScore"]!.GetValue<int>());
        Assert.Equal(VertexTestClients.Model, analysed["analysis"]!["engine"]!.GetValue<string>());

        var requests = _vertex.Requests.ToList();
        Assert.Equal(5, requests.Count);
        Assert.All(requests, request => Assert.Equal("Bearer " + VertexTestClients.Token, request.Authorization));
        // The system instruction is the campaign's prompt; the tools are declared with Vertex schemas.
        var firstBody = requests[0].Json;
        Assert.Contains("Acme Voice", firstBody["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var declared = firstBody["tools"]![0]!["functionDeclarations"]!.AsArray().Select(tool => tool!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["record_lead_details", "schedule_callback", "mark_do_not_call", "transfer_to_human", "end_call"], declared);
        // Turn 2's request still carries turn 1's signed call, verbatim.
        Assert.Contains("c2lnLXR1cm4tMQ==", requests[2].Body, StringComparison.Ordinal);
        Assert.Contains("c2lnLXR1cm4tMg==", requests[3].Body, StringComparison.Ordinal);

        Assert.Equal("qualified", await _host.ScalarAsync<string>("SELECT status FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal(92, await _host.ScalarAsync<int>("SELECT score FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal("jane.doe@globex.com", await _host.ScalarAsync<string>("SELECT email FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal(40000m, await _host.ScalarAsync<decimal>("SELECT (qualification->>'budget')::numeric FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal(timeline, await _host.ScalarAsync<string>("SELECT qualification->>'timeline' FROM leads WHERE id = @id", ("id", leadId)));
        Assert.Equal(VertexTestClients.Model, await _host.ScalarAsync<string>("SELECT model FROM calls WHERE id = @id", ("id", id)));
        // Token usage summed over every model request of the conversation and the analysis.
        Assert.Equal(30L + 12 + 40 + 12 + 300, await _host.ScalarAsync<long>("SELECT input_tokens FROM calls WHERE id = @id", ("id", id)));
    }

    [Fact]
    public async Task A_model_failure_returns_502_and_keeps_the_conversation_resumable()
    {
        var (_, leadId) = await _host.CreateCampaignAndLeadAsync("+14155550122");
        var started = await _host.PostAsync("/api/conversations", new { leadId }, HttpStatusCode.Created);
        var id = started["conversationId"]!.GetValue<Guid>();
        _vertex.Enqueue(FakeReply.GoogleError(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument."));
        _vertex.Enqueue(FakeReply.Text("Thanks! What budget have you set aside for this?"));

        var failed = await _host.Client.PostAsync($"/api/conversations/{id}/messages", System.Net.Http.Json.JsonContent.Create(new { text = "Yes." }));
        var body = await failed.Content.ReadAsStringAsync();
        var retried = await _host.PostAsync($"/api/conversations/{id}/messages", new { text = "Yes." });

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("Request contains an invalid argument.", body, StringComparison.Ordinal);
        Assert.Equal("Thanks! What budget have you set aside for this?", retried["reply"]!.GetValue<string>());
        // Opening + one caller turn + one agent turn: the failed attempt left nothing.
        Assert.Equal(3L, await _host.ScalarAsync<long>("SELECT count(*) FROM call_turns WHERE call_id = @id", ("id", id)));
    }
}
