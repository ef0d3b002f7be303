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
    /// Registers <see cref="IChatClient"/> (the composed pipeline), <see cref="GeminiEngine"/> and the Redis rate
    /// limiter from the <c>Gemini</c> section. Needs the Redis connection from AddLeadGenDataStores for Vertex modes.
    /// A registered <see cref="Vertex.IVertexAuthenticator"/> replaces the default credential (ADC or the API key).
    /// Readiness (<c>/health</c>) includes <see cref="GeminiModelHealthCheck"/>: the configured model must exist.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenGemini(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GeminiOptions>().Bind(builder.Configuration.GetSection(GeminiOptions.SectionName));
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
        builder.Services.TryAddSingleton(services =>
        {
            var holder = services.GetRequiredService<GeminiEngineHolder>();
            return GeminiChatClientFactory.Create(
                holder.Engine,
                holder.Info,
                holder.Info.IsOffline ? null : services.GetRequiredService<IGeminiRateLimiter>(),
                services.GetRequiredService<ILoggerFactory>(),
                services);
        });
        return builder;
    }

    /// <summary>
    /// Adds <paramref name="model"/> to the startup/readiness model check (<see cref="GeminiModelHealthCheck"/>),
    /// registering the check once per host whichever Gemini feature asks first.
    /// </summary>
    internal static void AddModelCheck(IHostApplicationBuilder builder, GeminiModelSetting model)
    {
        var existing = builder.Services.FirstOrDefault(service => service.ServiceType == typeof(GeminiModelCheckList))?.ImplementationInstance as GeminiModelCheckList;
        if (existing is not null)
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

    internal sealed class GeminiModelCheckList : List<GeminiModelSetting>;

    internal sealed record GeminiEngineHolder(IChatClient Engine, GeminiEngine Info);
}
