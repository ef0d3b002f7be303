using System.Net;
using LeadGen.Core.Gemini.RateLimiting;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadGen.Core.Gemini;

public static class GeminiHostingExtensions
{
    /// <summary>
    /// Registers the <c>Gemini</c> options (bound here once for every Gemini feature, validated on start),
    /// <see cref="IChatClient"/> (the engine composed with <c>AddChatClient</c>:
    /// <see cref="GeminiChatClientFactory.UseLeadGenPipeline"/>), <see cref="GeminiEngine"/> and the Redis rate limiter.
    /// Needs the Redis connection from AddLeadGenDataStores for Vertex modes. Call before <c>AddLeadGenAgent</c> and
    /// <c>AddLeadGenGeminiLive</c>.
    /// A registered <see cref="Vertex.IVertexAuthenticator"/> replaces the default credential (ADC or the API key).
    /// Readiness (<c>/health</c>) includes <see cref="GeminiModelHealthCheck"/>: the configured model must exist.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenGemini(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GeminiOptions>()
            .Bind(builder.Configuration.GetSection(GeminiOptions.SectionName))
            .Validate(IsKnownMode, "Gemini:Mode must be vertex, apikey or offline.")
            .Validate(options => options.Mode?.Trim().ToLowerInvariant() != "apikey" || !string.IsNullOrWhiteSpace(options.ApiKey), "Gemini:Mode=apikey needs Gemini:ApiKey (secret parameter gemini-api-key).")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Model) && !string.IsNullOrWhiteSpace(options.LiveModel), "Gemini:Model and Gemini:LiveModel must not be empty.")
            .Validate(options => options.MaxAttempts > 0 && options.RequestTimeout > TimeSpan.Zero, "Gemini:MaxAttempts must be at least 1 and Gemini:RequestTimeout a positive duration.")
            .Validate(options => options.RateLimit.RequestsPerMinute >= 0 && options.RateLimit.TokensPerMinute >= 0 && options.RateLimit.Window > TimeSpan.Zero, "Gemini:RateLimit:RequestsPerMinute and TokensPerMinute must be 0 (no limit) or more, and Gemini:RateLimit:Window a positive duration.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IGeminiRateLimiter>(services => new RedisGeminiRateLimiter(
            services.GetRequiredService<IConnectionMultiplexer>(),
            services.GetRequiredService<IOptions<GeminiOptions>>().Value.RateLimit,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RedisGeminiRateLimiter>>()));

        builder.Services.TryAddKeyedSingleton(GeminiOptions.SectionName, (_, _) => CreateHttpClient());

        builder.Services.TryAddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<GeminiOptions>>().Value;
            var loggerFactory = services.GetRequiredService<ILoggerFactory>();
            var (engine, info) = GeminiChatClientFactory.CreateEngine(
                options,
                services.GetRequiredKeyedService<HttpClient>(GeminiOptions.SectionName),
                services.GetRequiredService<TimeProvider>(),
                loggerFactory,
                services.GetService<Vertex.IVertexAuthenticator>());
            loggerFactory.CreateLogger(typeof(GeminiHostingExtensions)).LogInformation(
                "Gemini engine: {Engine} (model {Model}){OfflineNote}",
                info.Label,
                info.Model,
                info.IsOffline ? " — offline: deterministic rule-based agent, no language model" : string.Empty);
            return new GeminiEngineHolder(engine, info);
        });
        builder.Services.TryAddSingleton(services => services.GetRequiredService<GeminiEngineHolder>().Info);
        AddModelCheck(builder, new GeminiModelSetting("Gemini:Model", builder.Configuration[$"{GeminiOptions.SectionName}:Model"] ?? new GeminiOptions().Model));
        builder.Services.AddChatClient(services => services.GetRequiredService<GeminiEngineHolder>().Engine).UseLeadGenPipeline();
        return builder;
    }

    private static bool IsKnownMode(GeminiOptions options) =>
        string.IsNullOrWhiteSpace(options.Mode) || options.Mode.Trim().ToLowerInvariant() is "vertex" or "apikey" or "offline";

    /// <summary>
    /// Adds <paramref name="model"/> to the startup/readiness model check (<see cref="GeminiModelHealthCheck"/>),
    /// registering the check with the first (<see cref="AddLeadGenGemini"/>).
    /// </summary>
    internal static void AddModelCheck(IHostApplicationBuilder builder, GeminiModelSetting model)
    {
        if (FindModelCheckList(builder.Services) is { } existing)
        {
            existing.Add(model);
            return;
        }

        var list = new GeminiModelCheckList { model };
        builder.Services.AddSingleton(list);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddKeyedSingleton(GeminiOptions.SectionName, (_, _) => CreateHttpClient());
        builder.Services.AddSingleton(services =>
            {
                var options = services.GetRequiredService<IOptions<GeminiOptions>>().Value;
                var mode = options.ResolveMode();
                return new GeminiModelHealthCheck(
                    options,
                    [.. services.GetRequiredService<GeminiModelCheckList>().DistinctBy(setting => setting.Setting)],
                    services.GetRequiredKeyedService<HttpClient>(GeminiOptions.SectionName),
                    services.GetService<Vertex.IVertexAuthenticator>() ?? GeminiChatClientFactory.CreateAuthenticator(options, mode),
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<ILogger<GeminiModelHealthCheck>>());
            });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            GeminiModelHealthCheck.Name, services => services.GetRequiredService<GeminiModelHealthCheck>(), HealthStatus.Unhealthy, tags: null));
    }

    // Our own HttpClient, not the factory's defaults: those add a standard resilience handler, and Vertex requests
    // have their own retry policy (Retry-After, Google's errors) — two layers would multiply attempts.
    internal static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        EnableMultipleHttp2Connections = true,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    internal static GeminiModelCheckList? FindModelCheckList(IServiceCollection services) =>
        services.FirstOrDefault(service => service.ServiceType == typeof(GeminiModelCheckList))?.ImplementationInstance as GeminiModelCheckList;

    internal sealed class GeminiModelCheckList : List<GeminiModelSetting>;

    internal sealed record GeminiEngineHolder(IChatClient Engine, GeminiEngine Info);
}
