namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Google's documented way out of Cloud Run for OpenTelemetry: the Google-Built OpenTelemetry Collector as a sidecar of
/// each service. The app exports OTLP to it on localhost (no credentials, no network egress in the request path); the
/// collector sends traces to Cloud Trace and metrics to Cloud Monitoring (Managed Service for Prometheus) with the
/// service account's roles. Its configuration is a Secret Manager secret Terraform writes, mounted as a file.
/// Logs do not take this path: they go to stdout as structured JSON, which Cloud Run's logging agent already ships.
/// </summary>
internal sealed record TelemetrySidecar(string Image)
{
    /// <summary>A release of the Google-Built collector (its images are at this path in Artifact Registry).</summary>
    public const string DefaultImage = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.126.0";

    public const string ContainerName = "otel-collector";

    /// <summary>Secret Manager secret holding the collector's config.yaml (written by Terraform's telemetry module).</summary>
    public const string ConfigSecret = "otel-collector-config";

    public const string ConfigVolume = "otel-collector-config";

    public const string ConfigDirectory = "/etc/otelcol-google";

    public const string ConfigFile = "config.yaml";

    /// <summary>The collector's health_check extension: Cloud Run's startup probe of the sidecar (required there).</summary>
    public const int HealthCheckPort = 13133;

    public const string Cpu = "1";

    public const string Memory = "512Mi";

    /// <summary>
    /// What the app container needs to use the sidecar: OTLP/gRPC on localhost for traces and metrics, its service name,
    /// logs kept off OTLP (stdout JSON carries them), and the project for Cloud Logging's trace links.
    /// </summary>
    public static IReadOnlyList<EnvironmentEntry> AppEnvironment(string serviceName, string projectId) =>
    [
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317", null),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", null),
        new("OTEL_SERVICE_NAME", serviceName, null),
        new("OTEL_LOGS_EXPORTER", "none", null),
        new(GoogleCloudProjectVariable, projectId, null),
    ];

    /// <summary>Read by client libraries and by ServiceDefaults' JSON log formatter (trace resource names).</summary>
    public const string GoogleCloudProjectVariable = "GOOGLE_CLOUD_PROJECT";
}
