namespace AzureFreeGcpManifests.Cli;

/// <summary>What the command line asked for, with the defaults already applied.</summary>
internal sealed record PublisherOptions
{
    public required string ManifestPath { get; init; }

    public required string OutputDirectory { get; init; }

    public DeploymentEnvironment Environment { get; init; } = DeploymentEnvironment.Staging;

    /// <summary>Artifact Registry repository, e.g. <c>us-central1-docker.pkg.dev/my-project/images</c>.</summary>
    public required string Registry { get; init; }

    public string Tag { get; init; } = "latest";

    public required string ProjectId { get; init; }

    public required string Region { get; init; }

    /// <summary>Needed only when one service references another's URL (Cloud Run URLs contain the project number).</summary>
    public string? ProjectNumber { get; init; }

    /// <summary>Prefix of the shared GCP names (VPC, subnets, service accounts); must match the Terraform root's <c>name_prefix</c>.</summary>
    public required string NamePrefix { get; init; }

    public bool SkipUnsupported { get; init; }

    /// <summary>Optional per-service overrides per environment (<c>--overlay FILE</c>, see <c>ServiceOverlay</c>).</summary>
    public string? OverlayPath { get; init; }

    /// <summary>Values for non-secret parameters without a default (<c>--parameter NAME=VALUE</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Resources deployed as Cloud Run jobs run before rollout instead of services (<c>--job NAME</c>).</summary>
    public IReadOnlySet<string> Jobs { get; init; } = new HashSet<string>();

    /// <summary>
    /// Environment variable that receives Memorystore's server CA in every workload connecting to Redis
    /// (<c>--redis-ca-certificate-env</c>); null gives workloads no CA (the summary says so).
    /// </summary>
    public string? RedisCaCertificateVariable { get; init; }

    /// <summary>
    /// Image of the OpenTelemetry Collector sidecar every service gets (<c>--otel-collector</c>); null: no sidecar, and
    /// workloads export no telemetry beyond Cloud Run's own logs and metrics.
    /// </summary>
    public string? OtelCollectorImage { get; init; }
}

internal enum DeploymentEnvironment
{
    Staging,
    Production,
}
