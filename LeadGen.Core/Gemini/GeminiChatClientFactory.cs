using LeadGen.Core.Gemini.Offline;
using LeadGen.Core.Gemini.RateLimiting;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini;

/// <summary>
/// Composes the chat pipeline every caller uses, outermost first: function invocation (runs the agent's tools) →
/// OpenTelemetry (GenAI semantic conventions; <c>gen_ai.client.token.usage</c> and
/// <c>gen_ai.client.operation.duration</c> on the <c>LeadGen.Gemini</c> meter, one span per model call) → logging →
/// shared rate limit (Vertex only) → the engine (Vertex REST or offline).
/// </summary>
public static class GeminiChatClientFactory
{
    public const string TelemetrySourceName = "LeadGen.Gemini";

    public static IChatClient Create(
        IChatClient engine,
        GeminiEngine info,
        IGeminiRateLimiter? rateLimiter,
        ILoggerFactory loggerFactory,
        IServiceProvider? services = null)
    {
        var builder = new ChatClientBuilder(engine)
            .UseFunctionInvocation(loggerFactory, invoker =>
            {
                // A few rounds cover "record, then end" turns; more means the model is looping.
                invoker.MaximumIterationsPerRequest = 5;
                invoker.IncludeDetailedErrors = false;
            })
            .UseOpenTelemetry(loggerFactory, TelemetrySourceName, telemetry => telemetry.EnableSensitiveData = false)
            .UseLogging(loggerFactory);

        if (!info.IsOffline && rateLimiter is not null)
        {
            builder.Use(inner => new RateLimitedChatClient(inner, rateLimiter, info.Model));
        }

        return builder.Build(services);
    }

    /// <summary>The credential for a mode: the API key header, Application Default Credentials, or none (offline).</summary>
    public static IVertexAuthenticator? CreateAuthenticator(GeminiOptions options, GeminiMode mode) => mode switch
    {
        GeminiMode.ApiKey => new ApiKeyAuthenticator(!string.IsNullOrWhiteSpace(options.ApiKey) ? options.ApiKey : throw new InvalidOperationException("Gemini:Mode=apikey needs Gemini:ApiKey (secret parameter gemini-api-key).")),
        GeminiMode.Vertex => new GoogleCredentialAuthenticator(),
        _ => null,
    };

    /// <summary>The engine for a configuration: Vertex with ADC, Vertex with an API key, or offline.</summary>
    public static (IChatClient Engine, GeminiEngine Info) CreateEngine(
        GeminiOptions options,
        HttpClient httpClient,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IVertexAuthenticator? authenticator = null)
    {
        var mode = options.ResolveMode();
        if (mode == GeminiMode.Offline)
        {
            return (new OfflineChatClient(timeProvider, loggerFactory.CreateLogger<OfflineChatClient>()), new GeminiEngine(mode, OfflineChatClient.ModelId));
        }

        authenticator ??= CreateAuthenticator(options, mode)!;
        var client = new VertexChatClient(httpClient, options, mode, authenticator, timeProvider, loggerFactory.CreateLogger<VertexChatClient>());
        return (client, new GeminiEngine(mode, options.Model));
    }
}
