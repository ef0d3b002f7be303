using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.AppHost.Tests;

/// <summary>Starts the real AppHost in processes mode against a given local data folder, as <c>./run.sh</c> would on these machines.</summary>
internal static class LocalStack
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);

    public static async Task<DistributedApplication> StartAsync(string localDataPath, CancellationToken cancellationToken, Action<ILoggingBuilder>? logging = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LeadGen_AppHost>(
            ["--LocalInfrastructure=processes", $"--LocalDataPath={localDataPath}"],
            (appOptions, _) => appOptions.DisableDashboard = true,
            cancellationToken);

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Readiness probes fail by design until each resource is up; those logs are noise in test output.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        if (logging is not null)
        {
            builder.Services.AddLogging(logging);
        }

        // No dashboard in tests: without an OTLP endpoint the services skip exporting and shut down in seconds.
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        var app = await builder.BuildAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
        return app;
    }

    public static async Task<int?> WaitForExitCodeAsync(this DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        var finished = await app.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.ExitCode is not null || e.Snapshot.State?.Text == KnownResourceStates.Finished, cancellationToken);
        return finished.Snapshot.ExitCode;
    }
}
