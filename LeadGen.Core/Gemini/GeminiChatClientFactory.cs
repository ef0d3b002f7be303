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

    /// <summary>
    /// Adds the pipeline's layers to <paramref name="builder"/> (from <c>AddChatClient</c> or a test's
    /// <see cref="ChatClientBuilder"/>). The rate limit applies when the service provider has a Vertex engine
    /// (<see cref="GeminiEngine"/>, not offline) and an <see cref="IGeminiRateLimiter"/>; loggers come from its
    /// <see cref="ILoggerFactory"/>.
    /// </summary>
    public static ChatClientBuilder UseLeadGenPipeline(this ChatClientBuilder builder) => builder
        .UseFunctionInvocation(configure: invoker =>
        {
            // A few rounds cover "record, then end" turns; more means the model is looping.
            invoker.MaximumIterationsPerRequest = 5;
            invoker.IncludeDetailedErrors = false;
        })
        .UseOpenTelemetry(sourceName: TelemetrySourceName, configure: telemetry => telemetry.EnableSensitiveData = false)
        .UseLogging()
        .Use((inner, services) =>
            services.GetService(typeof(GeminiEngine)) is GeminiEngine { IsOffline: false } info && services.GetService(typeof(IGeminiRateLimiter)) is IGeminiRateLimiter limiter
                ? new RateLimitedChatClient(inner, limiter, info.Model)
                : inner);

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
