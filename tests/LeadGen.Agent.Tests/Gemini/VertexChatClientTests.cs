using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using LeadGen.Agent.Tests.Fakes;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadGen.Agent.Tests.Gemini;

public sealed class VertexChatClientTests : IAsyncLifetime
{
    private FakeVertexServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "europe-west4", VertexTestClients.Model, VertexTestClients.Token));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GenerateContent_sends_the_request_Vertex_expects_and_maps_text_and_usage()
    {
        _server.Enqueue(FakeReply.Text("Hello! How can I help?", promptTokens: 21, outputTokens: 6));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a helpful agent."), new ChatMessage(ChatRole.User, "Hi there")],
            new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 128, StopSequences = ["END"] });

        Assert.Empty(_server.Violations);
        var request = Assert.Single(_server.Requests);
        Assert.Equal($"/v1/projects/{VertexTestClients.Project}/locations/europe-west4/publishers/google/models/{VertexTestClients.Model}:generateContent", request.Path);
        Assert.Equal("Bearer " + VertexTestClients.Token, request.Authorization);
        var body = request.Json;
        Assert.Equal("You are a helpful agent.", body["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("user", body["contents"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Hi there", body["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Single(body["contents"]!.AsArray());
        var generation = body["generationConfig"]!;
        Assert.Equal(0.2, generation["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(128, generation["maxOutputTokens"]!.GetValue<int>());
        Assert.Equal("END", generation["stopSequences"]![0]!.GetValue<string>());
        Assert.Equal(0, generation["thinkingConfig"]!["thinkingBudget"]!.GetValue<int>());

        Assert.Equal("Hello! How can I help?", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("gemini-2.5-flash", response.ModelId);
        Assert.Equal(21, response.Usage!.InputTokenCount);
        Assert.Equal(6, response.Usage.OutputTokenCount);
        Assert.Equal(27, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Json_output_sends_responseMimeType_and_a_Vertex_schema()
    {
        _server.Enqueue(FakeReply.Text("""{"name":"Ada","age":36}"""));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));
        var schema = AIJsonUtilities.CreateJsonSchema(typeof(Person));

        var response = await client.GetResponseAsync("Who?", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "person") });

        Assert.Empty(_server.Violations);
        var generation = Assert.Single(_server.Requests).Json["generationConfig"]!;
        Assert.Equal("application/json", generation["responseMimeType"]!.GetValue<string>());
        Assert.Equal("OBJECT", generation["responseSchema"]!["type"]!.GetValue<string>());
        Assert.Equal("STRING", generation["responseSchema"]!["properties"]!["name"]!["type"]!.GetValue<string>());
        Assert.Equal("INTEGER", generation["responseSchema"]!["properties"]!["age"]!["type"]!.GetValue<string>());
        Assert.Null(generation["responseSchema"]!["$schema"]);
        Assert.Equal("Ada", JsonSerializer.Deserialize<Person>(response.Text, JsonSerializerOptions.Web)!.Name);
    }

    [Fact]
    public async Task Global_location_uses_the_global_path()
    {
        await using var global = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "global", VertexTestClients.Model, VertexTestClients.Token));
        global.Enqueue(FakeReply.Text("ok"));
        using var client = VertexTestClients.Create(global, VertexTestClients.Options(global, location: "global"));

        await client.GetResponseAsync("ping");

        Assert.Empty(global.Violations);
        Assert.Equal($"/v1/projects/{VertexTestClients.Project}/locations/global/publishers/google/models/{VertexTestClients.Model}:generateContent", Assert.Single(global.Requests).Path);
    }

    [Fact]
    public void Endpoints_without_an_override_are_Googles_regional_and_global_hosts()
    {
        var regional = new VertexEndpoint(new GeminiOptions { Project = "p", Location = "us-east5", Model = "m" }, GeminiMode.Vertex);
        var global = new VertexEndpoint(new GeminiOptions { Project = "p", Location = "global", Model = "m" }, GeminiMode.Vertex);
        var express = new VertexEndpoint(new GeminiOptions { ApiKey = "k", Model = "m" }, GeminiMode.ApiKey);

        Assert.Equal("https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/google/models/m:generateContent", regional.GenerateContent("m").ToString());
        Assert.Equal("https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/m:streamGenerateContent?alt=sse", global.StreamGenerateContent("m").ToString());
        Assert.Equal("https://aiplatform.googleapis.com/v1/publishers/google/models/m:generateContent", express.GenerateContent("m").ToString());
    }

    [Fact]
    public async Task Api_key_mode_sends_the_key_in_a_header_on_the_express_path()
    {
        await using var express = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "global", VertexTestClients.Model, BearerToken: null, ApiKey: "AIza-test-key"));
        express.Enqueue(FakeReply.Text("ok"));
        var options = VertexTestClients.Options(express, mode: GeminiMode.ApiKey);
        var (engine, info) = GeminiChatClientFactory.CreateEngine(options, new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
        using var _ = engine;

        var response = await engine.GetResponseAsync("ping");

        Assert.Equal("ok", response.Text);
        Assert.Equal("apikey", info.Label);
        Assert.Empty(express.Violations);
        var request = Assert.Single(express.Requests);
        Assert.Equal($"/v1/publishers/google/models/{VertexTestClients.Model}:generateContent", request.Path);
        Assert.Equal("AIza-test-key", request.ApiKeyHeader);
        Assert.DoesNotContain("AIza", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_reads_server_sent_events_and_reports_usage_once()
    {
        _server.Enqueue(FakeReply.Stream("Hello", ", this is ", "Ava."));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi"))
        {
            updates.Add(update);
        }

        Assert.Empty(_server.Violations);
        var request = Assert.Single(_server.Requests);
        Assert.EndsWith(":streamGenerateContent", request.Path, StringComparison.Ordinal);
        Assert.Equal("?alt=sse", request.Query);
        var response = updates.ToChatResponse();
        Assert.Equal("Hello, this is Ava.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(29, response.Usage!.TotalTokenCount);
        Assert.Single(updates.SelectMany(update => update.Contents).OfType<UsageContent>());
    }

    [Fact]
    public async Task An_error_event_inside_the_stream_surfaces_as_Googles_error()
    {
        var stream = FakeReply.Stream("Hello", " there");
        _server.Enqueue(stream with
        {
            SseEvents = [stream.SseEvents![0], new JsonObject { ["error"] = new JsonObject { ["code"] = 500, ["message"] = "Internal error encountered.", ["status"] = "INTERNAL" } }],
        });
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<GeminiRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hello"], received);
        Assert.Equal("INTERNAL", error.GoogleStatus);
        Assert.Contains("Internal error encountered.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_stalls_between_events_fails_after_the_request_timeout()
    {
        _server.Enqueue(FakeReply.Stream("Hello", " there") with { PauseAfterFirstEvent = TimeSpan.FromSeconds(30) });
        var options = VertexTestClients.Options(_server);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        using var client = VertexTestClients.Create(_server, options);
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<GeminiRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi"))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["Hello"], received);
        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_call_thought_signature_goes_back_verbatim_through_function_invocation()
    {
        const string signature = "CiQB0e2Kb3Z+signature/with+base64==";
        _server.Enqueue(FakeReply.FunctionCall("get_weather", new JsonObject { ["city"] = "Paris" }, signature));
        _server.Enqueue(request =>
        {
            // The second request must carry the model's call (with its signature) and our function response.
            var contents = request.Json["contents"]!.AsArray();
            var modelPart = contents[1]!["parts"]![0]!;
            var toolPart = contents[2]!["parts"]![0]!;
            return modelPart["thoughtSignature"]!.GetValue<string>() == signature
                && toolPart["functionResponse"]!["name"]!.GetValue<string>() == "get_weather"
                && toolPart["functionResponse"]!["response"]!["forecast"]!.GetValue<string>() == "sunny, 21 C"
                ? FakeReply.Text("It is sunny in Paris.")
                : FakeReply.GoogleError(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "unexpected second request");
        });
        var weather = AIFunctionFactory.Create((string city) => new { forecast = city == "Paris" ? "sunny, 21 C" : "unknown" }, "get_weather", "Weather for a city");
        using var client = new ChatClientBuilder(VertexTestClients.Create(_server, VertexTestClients.Options(_server))).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync("Weather in Paris?", new ChatOptions { Tools = [weather] });

        Assert.Empty(_server.Violations);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains("It is sunny in Paris.", response.Text, StringComparison.Ordinal);
        var declaration = _server.Requests.First().Json["tools"]![0]!["functionDeclarations"]![0]!;
        Assert.Equal("get_weather", declaration["name"]!.GetValue<string>());
        Assert.Equal("STRING", declaration["parameters"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        var call = response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal(signature, call.AdditionalProperties![VertexRequestMapper.ThoughtSignatureKey]);
    }

    [Fact]
    public async Task Dropping_the_thought_signature_is_rejected_like_Vertex_does()
    {
        _server.Enqueue(FakeReply.FunctionCall("get_weather", new JsonObject { ["city"] = "Paris" }, "sig-123"));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));
        var first = await client.GetResponseAsync("Weather?");
        var call = first.Messages[0].Contents.OfType<FunctionCallContent>().Single();
        var stripped = new FunctionCallContent(call.CallId, call.Name, call.Arguments);

        var error = await Assert.ThrowsAsync<GeminiRequestException>(() => client.GetResponseAsync(
        [
            new ChatMessage(ChatRole.User, "Weather?"),
            new ChatMessage(ChatRole.Assistant, [stripped]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "sunny")]),
        ]));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("thought_signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_servers_delay_then_succeeds()
    {
        _server.Enqueue(FakeReply.GoogleError(HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED", "Resource exhausted. Please try again later.", new Dictionary<string, string> { ["Retry-After"] = "1" }));
        _server.Enqueue(FakeReply.Text("Finally."));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));
        var stopwatch = Stopwatch.StartNew();

        var response = await client.GetResponseAsync("Hi");

        Assert.Equal("Finally.", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {stopwatch.Elapsed.TotalMilliseconds} ms, before Retry-After");
    }

    [Fact]
    public async Task A_400_fails_at_once_with_Googles_message()
    {
        _server.Enqueue(FakeReply.GoogleError(HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "Request contains an invalid argument: temperature must be between 0 and 2."));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));

        var error = await Assert.ThrowsAsync<GeminiRequestException>(() => client.GetResponseAsync("Hi", new ChatOptions { Temperature = 7 }));

        Assert.Single(_server.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", error.GoogleStatus);
        Assert.Contains("temperature must be between 0 and 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "UNAUTHENTICATED")]
    [InlineData(HttpStatusCode.Forbidden, "PERMISSION_DENIED")]
    [InlineData(HttpStatusCode.NotFound, "NOT_FOUND")]
    public async Task Auth_and_not_found_errors_are_not_retried(HttpStatusCode status, string googleStatus)
    {
        _server.Enqueue(FakeReply.GoogleError(status, googleStatus, $"Google says {googleStatus}"));
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));

        var error = await Assert.ThrowsAsync<GeminiRequestException>(() => client.GetResponseAsync("Hi"));

        Assert.Single(_server.Requests);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains($"Google says {googleStatus}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Persistent_503_gives_up_after_the_configured_attempts()
    {
        _server.DefaultReply = _ => FakeReply.GoogleError(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "The service is currently unavailable.");
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server));

        var error = await Assert.ThrowsAsync<GeminiRequestException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("currently unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_answer_is_bounded_by_the_request_timeout_and_retried()
    {
        _server.Enqueue(FakeReply.Text("too late") with { Delay = TimeSpan.FromSeconds(3) });
        _server.Enqueue(FakeReply.Text("on time"));
        var options = VertexTestClients.Options(_server);
        options.RequestTimeout = TimeSpan.FromMilliseconds(500);
        using var client = VertexTestClients.Create(_server, options);
        var stopwatch = Stopwatch.StartNew();

        var response = await client.GetResponseAsync("Hi");

        Assert.Equal("on time", response.Text);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Metadata_server_token_is_fetched_once_and_reused()
    {
        // The metadata server's token endpoint, as Cloud Run serves it (here on the fake's host).
        var token = new Uri(_server.BaseUri, "computeMetadata/v1/instance/service-accounts/default/token").ToString();
        var authenticator = new GoogleCredentialAuthenticator(() => Task.FromResult<ITokenAccess>(
            GoogleCredential.FromComputeCredential(new ComputeCredential(new ComputeCredential.Initializer(token)))));
        _server.DefaultReply = _ => FakeReply.Text("ok");
        using var client = VertexTestClients.Create(_server, VertexTestClients.Options(_server), authenticator);

        for (var i = 0; i < 3; i++)
        {
            await client.GetResponseAsync("Hi");
        }

        Assert.Empty(_server.Violations);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(1, _server.MetadataTokenRequests);
    }

    private sealed record Person(string Name, int Age);
}
