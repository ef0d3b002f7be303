using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace LeadGen.Core.Persistence;

public static class PersistenceHostingExtensions
{
    /// <summary>
    /// The connections every LeadGen service uses: the Postgres data source (<c>leadgendb</c>) and the Redis connection
    /// (<c>cache</c>), each with its readiness health check and telemetry, plus the shared clock and the migrator.
    /// Client spans without a parent (background polling) are not sampled (<see cref="BackgroundClientSpanSampler"/>).
    /// The features on top (campaigns, leads, calls, compliance, …) are added by the host, each with its own Add….
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenDataStores(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ConnectionNames.Database);
        builder.AddRedisClient(
            ConnectionNames.Cache,
            settings => settings.DisableTracing = false,
            options => RedisTls.Configure(options, builder.Configuration)); // Memorystore in-transit encryption
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.SetSampler(new ParentBasedSampler(new BackgroundClientSpanSampler())));
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<DatabaseMigrator>();
        return builder;
    }
}
