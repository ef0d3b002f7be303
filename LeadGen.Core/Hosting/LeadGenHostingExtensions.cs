using LeadGen.Core.Compliance;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace LeadGen.Core.Hosting;

public static class LeadGenHostingExtensions
{
    /// <summary>
    /// Registers the data stores every LeadGen service uses: the Postgres data source (<c>leadgendb</c>) and the Redis
    /// connection (<c>cache</c>), each with its readiness health check and telemetry, plus the shared clock and the
    /// data-access services (campaigns, leads, calls, compliance). Client spans without a parent (background polling)
    /// are not sampled (<see cref="BackgroundClientSpanSampler"/>).
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
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddLeadGenDataModel();
        // The stores hold people's data: whatever logs mention it goes through redaction (Compliance/PersonalData).
        builder.AddLeadGenLogRedaction();
        return builder;
    }
}
