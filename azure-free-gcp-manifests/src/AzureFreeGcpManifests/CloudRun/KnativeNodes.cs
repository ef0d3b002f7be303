namespace AzureFreeGcpManifests.CloudRun;

// Typed output nodes for Cloud Run's Knative-style YAML (what `gcloud run services replace` and
// `gcloud run jobs replace` accept). Property names become camelCase keys; nulls are omitted.

internal sealed class ObjectMetaNode
{
    public string? Name { get; set; }

    public SortedDictionary<string, string>? Labels { get; set; }

    public SortedDictionary<string, string>? Annotations { get; set; }
}

/// <summary><c>serving.knative.dev/v1</c> Service.</summary>
internal sealed class KnativeServiceNode
{
    public string ApiVersion { get; set; } = "serving.knative.dev/v1";

    public string Kind { get; set; } = "Service";

    public ObjectMetaNode Metadata { get; set; } = new();

    public ServiceSpecNode Spec { get; set; } = new();
}

internal sealed class ServiceSpecNode
{
    public RevisionTemplateNode Template { get; set; } = new();

    public List<TrafficTargetNode> Traffic { get; set; } = [];
}

internal sealed class RevisionTemplateNode
{
    public ObjectMetaNode Metadata { get; set; } = new();

    public RevisionSpecNode Spec { get; set; } = new();
}

internal sealed class RevisionSpecNode
{
    public int? ContainerConcurrency { get; set; }

    public int? TimeoutSeconds { get; set; }

    public string? ServiceAccountName { get; set; }

    public List<ContainerNode> Containers { get; set; } = [];

    public List<VolumeNode>? Volumes { get; set; }
}

/// <summary>A volume made of a Secret Manager secret: each item writes one version (<c>key</c>) to a file (<c>path</c>).</summary>
internal sealed class VolumeNode
{
    public string Name { get; set; } = string.Empty;

    public SecretVolumeSourceNode? Secret { get; set; }
}

internal sealed class SecretVolumeSourceNode
{
    public string SecretName { get; set; } = string.Empty;

    public List<KeyToPathNode> Items { get; set; } = [];
}

internal sealed class KeyToPathNode
{
    public string Key { get; set; } = "latest";

    public string Path { get; set; } = string.Empty;
}

internal sealed class VolumeMountNode
{
    public string Name { get; set; } = string.Empty;

    public string MountPath { get; set; } = string.Empty;
}

internal sealed class TrafficTargetNode
{
    public int Percent { get; set; }

    public bool LatestRevision { get; set; }
}

internal sealed class ContainerNode
{
    public string? Name { get; set; }

    public string Image { get; set; } = string.Empty;

    public List<string>? Args { get; set; }

    public List<ContainerPortNode>? Ports { get; set; }

    public List<EnvVarNode>? Env { get; set; }

    public ResourcesNode? Resources { get; set; }

    public ProbeNode? StartupProbe { get; set; }

    public ProbeNode? LivenessProbe { get; set; }

    public List<VolumeMountNode>? VolumeMounts { get; set; }
}

internal sealed class ContainerPortNode
{
    /// <summary>Cloud Run's name for plain HTTP/1 (WebSocket upgrades included).</summary>
    public string Name { get; set; } = "http1";

    public int ContainerPort { get; set; }
}

internal sealed class EnvVarNode
{
    public string Name { get; set; } = string.Empty;

    public string? Value { get; set; }

    public EnvVarSourceNode? ValueFrom { get; set; }
}

internal sealed class EnvVarSourceNode
{
    public SecretKeyRefNode SecretKeyRef { get; set; } = new();
}

/// <summary>A Secret Manager secret (<c>name</c>) and version (<c>key</c>).</summary>
internal sealed class SecretKeyRefNode
{
    public string Name { get; set; } = string.Empty;

    public string Key { get; set; } = "latest";
}

internal sealed class ResourcesNode
{
    public SortedDictionary<string, string> Limits { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class ProbeNode
{
    public HttpGetNode? HttpGet { get; set; }

    public int? InitialDelaySeconds { get; set; }

    public int? PeriodSeconds { get; set; }

    public int? TimeoutSeconds { get; set; }

    public int? FailureThreshold { get; set; }
}

internal sealed class HttpGetNode
{
    public string Path { get; set; } = "/";

    public int Port { get; set; }
}

/// <summary><c>run.googleapis.com/v1</c> Job.</summary>
internal sealed class CloudRunJobNode
{
    public string ApiVersion { get; set; } = "run.googleapis.com/v1";

    public string Kind { get; set; } = "Job";

    public ObjectMetaNode Metadata { get; set; } = new();

    public JobSpecNode Spec { get; set; } = new();
}

internal sealed class JobSpecNode
{
    public ExecutionTemplateNode Template { get; set; } = new();
}

internal sealed class ExecutionTemplateNode
{
    public ObjectMetaNode Metadata { get; set; } = new();

    public ExecutionSpecNode Spec { get; set; } = new();
}

internal sealed class ExecutionSpecNode
{
    public int Parallelism { get; set; } = 1;

    public int TaskCount { get; set; } = 1;

    public TaskTemplateNode Template { get; set; } = new();
}

internal sealed class TaskTemplateNode
{
    public TaskSpecNode Spec { get; set; } = new();
}

internal sealed class TaskSpecNode
{
    public List<ContainerNode> Containers { get; set; } = [];

    public int MaxRetries { get; set; }

    public int TimeoutSeconds { get; set; }

    public string? ServiceAccountName { get; set; }
}
