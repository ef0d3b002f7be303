using AzureFreeGcpManifests.Cli;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// The environment overlay: scaling and sizes per environment. Defaults follow the infrastructure seed (min instances 2
/// in production, 0 in staging). Two deliberate choices the seed does not spell out:
/// a service with no public endpoint is treated as a background worker (CPU always allocated, internal ingress) and keeps
/// one instance in staging, because a worker scaled to zero never receives a request that would wake it; a public HTTP
/// service gets session affinity and Cloud Run's longest request timeout so WebSockets (media streams) stay up.
/// </summary>
internal sealed record EnvironmentProfile(
    string Name,
    int PublicMinInstances,
    int WorkerMinInstances,
    int MaxInstances,
    int Concurrency,
    string Cpu,
    string Memory,
    string JobCpu,
    string JobMemory)
{
    public const int WebSocketTimeoutSeconds = 3600;
    public const int DefaultTimeoutSeconds = 300;
    public const int JobTimeoutSeconds = 600;
    public const int JobMaxRetries = 1;

    public static EnvironmentProfile For(DeploymentEnvironment environment) => environment switch
    {
        DeploymentEnvironment.Production => new("production", PublicMinInstances: 2, WorkerMinInstances: 2, MaxInstances: 100,
            Concurrency: 80, Cpu: "2", Memory: "1Gi", JobCpu: "1", JobMemory: "512Mi"),
        _ => new("staging", PublicMinInstances: 0, WorkerMinInstances: 1, MaxInstances: 5,
            Concurrency: 80, Cpu: "1", Memory: "512Mi", JobCpu: "1", JobMemory: "512Mi"),
    };

    public WorkloadSettings ServiceSettings(bool isPublic) => isPublic
        ? new WorkloadSettings(PublicMinInstances, MaxInstances, Concurrency, Cpu, Memory, CpuAlwaysAllocated: false,
            SessionAffinity: true, TimeoutSeconds: WebSocketTimeoutSeconds, Ingress: "all")
        : new WorkloadSettings(WorkerMinInstances, MaxInstances, Concurrency, Cpu, Memory, CpuAlwaysAllocated: true,
            SessionAffinity: false, TimeoutSeconds: DefaultTimeoutSeconds, Ingress: "internal");

    public WorkloadSettings JobSettings() =>
        new(0, 1, 1, JobCpu, JobMemory, CpuAlwaysAllocated: true, SessionAffinity: false, TimeoutSeconds: JobTimeoutSeconds, Ingress: "none");
}

/// <summary>Scaling, sizing and networking of one Cloud Run service or job.</summary>
internal sealed record WorkloadSettings(
    int MinInstances,
    int MaxInstances,
    int Concurrency,
    string Cpu,
    string Memory,
    bool CpuAlwaysAllocated,
    bool SessionAffinity,
    int TimeoutSeconds,
    string Ingress);
