using System.Diagnostics;
using LeadGen.Core.Persistence;

namespace LeadGen.Worker;

/// <summary>
/// <c>LeadGen.Worker migrate</c>: applies database migrations and exits (0 = success). The AppHost runs it as the
/// one-shot <c>migrations</c> resource; on Google Cloud it is the Cloud Run Job run before each rollout.
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    private static readonly ActivitySource ActivitySource = new("LeadGen.Migrations");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ActivitySource.Name));
        builder.Services.AddSingleton<DatabaseMigrator>();

        using var host = builder.Build();
        await host.StartAsync();
        var logger = host.Services.GetRequiredService<ILogger<DatabaseMigrator>>();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Database);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogError("No connection string '{Name}' is configured (ConnectionStrings__{Name})", ConnectionNames.Database, ConnectionNames.Database);
            await host.StopAsync();
            return 2;
        }

        int exitCode;
        using (var activity = ActivitySource.StartActivity("migrate database"))
        {
            var outcome = await host.Services.GetRequiredService<DatabaseMigrator>()
                .MigrateAsync(connectionString, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            activity?.SetTag("leadgen.migrations.applied", outcome.AppliedScripts.Count);
            activity?.SetStatus(outcome.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, outcome.Error);
            exitCode = outcome.Succeeded ? 0 : 1;
        }

        // Stopping the host flushes telemetry, so the migration trace reaches the dashboard before we exit.
        await host.StopAsync();
        return exitCode;
    }
}
