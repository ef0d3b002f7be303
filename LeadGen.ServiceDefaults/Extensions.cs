using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every LeadGen host uses: OpenTelemetry, health checks, service discovery, resilience.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Console logs as Cloud Logging structured JSON (<see cref="GoogleCloudJsonConsoleFormatter"/>) on Cloud Run
    /// (<c>K_SERVICE</c> or <c>CLOUD_RUN_JOB</c> set) or wherever <c>Logging:Console:FormatterName</c> is <c>gcp-json</c>;
    /// elsewhere the console keeps its readable default.
    /// </summary>
    public static TBuilder AddStructuredConsoleLogs<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        builder.Logging.AddConsoleFormatter<GoogleCloudJsonConsoleFormatter, GoogleCloudJsonFormatterOptions>(options =>
            options.ProjectId ??= configuration["GOOGLE_CLOUD_PROJECT"]);
        var onCloudRun = !string.IsNullOrEmpty(configuration["K_SERVICE"]) || !string.IsNullOrEmpty(configuration["CLOUD_RUN_JOB"]);
        if (onCloudRun && string.IsNullOrEmpty(configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddConsole(options => options.FormatterName = GoogleCloudJsonConsoleFormatter.FormatterName);
        }

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddStructuredConsoleLogs();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("LeadGen.*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("LeadGen.*")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes hit these every few seconds; tracing them would drown real requests.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // OTEL_LOGS_EXPORTER=none (Cloud Run, where stdout JSON already reaches Cloud Logging): traces and metrics only.
            if (string.Equals(builder.Configuration["OTEL_LOGS_EXPORTER"], "none", StringComparison.OrdinalIgnoreCase))
            {
                builder.Services.AddOpenTelemetry()
                    .WithMetrics(metrics => metrics.AddOtlpExporter())
                    .WithTracing(tracing => tracing.AddOtlpExporter());
            }
            else
            {
                builder.Services.AddOpenTelemetry().UseOtlpExporter();
            }
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every check, JSON body naming each) and <c>/alive</c> (liveness: the process
    /// answers). Mapped in every environment because Cloud Run startup and liveness probes call them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return app;
    }
}
