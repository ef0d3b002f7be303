using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Agent.Tests.Fakes;

/// <summary>
/// A stand-in for Vertex AI on in-process Kestrel (127.0.0.1, free port). It checks each request as Vertex does —
/// the path (project, location, publisher model, method, alt=sse), the credential (bearer token or x-goog-api-key),
/// and the JSON body (known fields only, well-formed contents, thought signatures echoed verbatim, function responses
/// matching calls) — and answers with scripted replies in Vertex's own shapes (JSON, SSE, Google error envelopes).
/// A request that fails a check gets the 400/401 Vertex would send, and is recorded in <see cref="Violations"/>.
/// </summary>
public sealed partial class FakeVertexServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<RecordedRequest, FakeReply>> _replies = new();
    private readonly ConcurrentDictionary<string, string> _issuedSignatures = new(StringComparer.Ordinal);

    private FakeVertexServer(WebApplication app, FakeVertexExpectations expectations)
    {
        _app = app;
        Expectations = expectations;
    }

    public FakeVertexExpectations Expectations { get; }

    public Uri BaseUri => new(_app.Urls.First() + "/");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Used when no scripted reply is queued.</summary>
    public Func<RecordedRequest, FakeReply>? DefaultReply { get; set; }

    public static async Task<FakeVertexServer> StartAsync(FakeVertexExpectations expectations)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeVertexServer(app, expectations);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public void Enqueue(Func<RecordedRequest, FakeReply> reply) => _replies.Enqueue(reply);

    public void Enqueue(FakeReply reply) => _replies.Enqueue(_ => reply);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Token requests served as the Cloud Run / GCE metadata server would.</summary>
    public int MetadataTokenRequests => _metadataTokenRequests;

    private int _metadataTokenRequests;

    public ConcurrentQueue<string> MetadataPaths { get; } = new();

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/computeMetadata"))
        {
            MetadataPaths.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
            await HandleMetadataAsync(context);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/v1/publishers/google/models", out var rest))
        {
            await HandlePublisherModelAsync(context, rest.Value!.TrimStart('/'));
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var bodyText = await reader.ReadToEndAsync(context.RequestAborted);
        var match = PathPattern().Match(context.Request.Path.Value ?? string.Empty);
        var request = new RecordedRequest(
            DateTimeOffset.UtcNow,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers["x-goog-api-key"].ToString(),
            context.Request.ContentType ?? string.Empty,
            match.Success ? match.Groups["model"].Value : string.Empty,
            match.Success ? match.Groups["method"].Value : string.Empty,
            bodyText);
        Requests.Enqueue(request);

        var problem = Check(context, match, request);
        if (problem is not null)
        {
            Violations.Enqueue(problem.Value.Message);
            await WriteAsync(context, FakeReply.GoogleError(problem.Value.Status, problem.Value.GoogleStatus, problem.Value.Message));
            return;
        }

        var reply = _replies.TryDequeue(out var next) ? next(request)
            : DefaultReply?.Invoke(request) ?? FakeReply.GoogleError(HttpStatusCode.InternalServerError, "INTERNAL", "No scripted reply left in the fake.");
        foreach (var signature in reply.IssuedSignatures)
        {
            _issuedSignatures[signature.Value] = signature.Key;
        }

        await WriteAsync(context, reply, request.ModelMethod == "streamGenerateContent");
    }

    /// <summary>Models the fake's Model Garden knows (GET publishers/google/models/{model}); others are retired or unknown.</summary>
    public HashSet<string> PublisherModels { get; } = new(StringComparer.Ordinal);

    /// <summary>Model Garden's <c>GET v1/publishers/google/models/{model}</c>: the PublisherModel, or Google's 404 envelope.</summary>
    private async Task HandlePublisherModelAsync(HttpContext context, string model)
    {
        MetadataPaths.Enqueue("GET " + context.Request.Path);
        var credential = Expectations.ApiKey is { } key
            ? context.Request.Headers["x-goog-api-key"] == key
            : context.Request.Headers.Authorization == "Bearer " + Expectations.BearerToken;
        if (!credential)
        {
            await WriteAsync(context, FakeReply.GoogleError(HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
            return;
        }

        if (!PublisherModels.Contains(model) && model != Expectations.Model)
        {
            await WriteAsync(context, FakeReply.GoogleError(HttpStatusCode.NotFound, "NOT_FOUND", $"Publisher Model `publishers/google/models/{model}` not found."));
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["name"] = $"publishers/google/models/{model}",
            ["versionId"] = "default",
            ["openSourceCategory"] = "PROPRIETARY",
            ["launchStage"] = "GA",
            ["publisherModelTemplate"] = $"projects/{{project}}/locations/{{location}}/publishers/google/models/{model}",
        }.ToJsonString());
    }

    private async Task HandleMetadataAsync(HttpContext context)
    {
        if (context.Request.Headers["Metadata-Flavor"] != "Google")
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (context.Request.Path.Value!.EndsWith("/token", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _metadataTokenRequests);
            context.Response.Headers["Metadata-Flavor"] = "Google";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject
            {
                ["access_token"] = Expectations.BearerToken,
                ["expires_in"] = 3599,
                ["token_type"] = "Bearer",
            }.ToJsonString());
            return;
        }

        context.Response.ContentType = "application/text";
        await context.Response.WriteAsync(string.Empty);
    }

    private (HttpStatusCode Status, string GoogleStatus, string Message)? Check(HttpContext context, Match path, RecordedRequest request)
    {
        if (context.Request.Method != HttpMethods.Post)
        {
            return (HttpStatusCode.NotFound, "NOT_FOUND", $"Method {context.Request.Method} not allowed.");
        }

        var credential = Expectations.ApiKey is { } key
            ? request.ApiKeyHeader == key && string.IsNullOrEmpty(request.Authorization)
            : request.Authorization == "Bearer " + Expectations.BearerToken && string.IsNullOrEmpty(request.ApiKeyHeader);
        if (!credential)
        {
            return (HttpStatusCode.Unauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        }

        if (request.Query.Contains("key=", StringComparison.Ordinal))
        {
            return (HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "The API key must not travel in the URL in this product.");
        }

        if (!path.Success)
        {
            return (HttpStatusCode.NotFound, "NOT_FOUND", $"Unknown path {request.Path}.");
        }

        var expectedScope = Expectations.ApiKey is null ? $"projects/{Expectations.Project}/locations/{Expectations.Location}/" : string.Empty;
        if (path.Groups["scope"].Value != expectedScope)
        {
            return (HttpStatusCode.NotFound, "NOT_FOUND", $"Publisher model path scope '{path.Groups["scope"].Value}' is not '{expectedScope}'.");
        }

        if (path.Groups["model"].Value != Expectations.Model)
        {
            return (HttpStatusCode.NotFound, "NOT_FOUND", $"Publisher Model `{path.Groups["model"].Value}` was not found or your project does not have access to it.");
        }

        var stream = path.Groups["method"].Value == "streamGenerateContent";
        if (stream != (request.Query == "?alt=sse"))
        {
            return (HttpStatusCode.BadRequest, "INVALID_ARGUMENT", $"Query '{request.Query}' does not match method {path.Groups["method"].Value}.");
        }

        if (!request.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return (HttpStatusCode.BadRequest, "INVALID_ARGUMENT", $"Content-Type {request.ContentType} is not JSON.");
        }

        try
        {
            return VertexRequestRules.Check(JsonNode.Parse(request.Body) as JsonObject, _issuedSignatures) is { } message
                ? (HttpStatusCode.BadRequest, "INVALID_ARGUMENT", message)
                : null;
        }
        catch (JsonException ex)
        {
            return (HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. " + ex.Message);
        }
    }

    private static async Task WriteAsync(HttpContext context, FakeReply reply, bool stream = false)
    {
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, context.RequestAborted);
        }

        context.Response.StatusCode = (int)reply.Status;
        foreach (var header in reply.Headers)
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        if (reply.SseEvents is { } events && stream)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var (data, index) in events.Select((data, index) => (data, index)))
            {
                await context.Response.WriteAsync("data: " + data.ToJsonString() + "\r\n\r\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (index == 0 && reply.PauseAfterFirstEvent > TimeSpan.Zero)
                {
                    await Task.Delay(reply.PauseAfterFirstEvent, context.RequestAborted);
                }
            }

            return;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(reply.Body?.ToJsonString() ?? "{}", context.RequestAborted);
    }

    [GeneratedRegex(@"^/v1/(?<scope>projects/[^/]+/locations/[^/]+/)?publishers/google/models/(?<model>[^/:]+):(?<method>generateContent|streamGenerateContent)$")]
    private static partial Regex PathPattern();
}

public sealed record FakeVertexExpectations(string Project, string Location, string Model, string? BearerToken, string? ApiKey = null);

public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string Query,
    string Authorization,
    string ApiKeyHeader,
    string ContentType,
    string Model,
    string ModelMethod,
    string Body)
{
    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;
}
