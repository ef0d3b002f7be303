using System.Globalization;
using System.Text.Json;
using AzureFreeGcpManifests.Model;

namespace AzureFreeGcpManifests.CloudRun;

/// <summary>Builds the Knative service and Cloud Run job nodes for the workloads of a <see cref="DeploymentModel"/>.</summary>
internal static class CloudRunNodeFactory
{
    public const string ManagedByLabel = "azure-free-gcp-manifests";

    public static KnativeServiceNode CreateService(Workload service, DeploymentModel model)
    {
        var settings = service.Settings;
        var revisionAnnotations = NetworkAnnotations(model);
        revisionAnnotations["autoscaling.knative.dev/minScale"] = Number(settings.MinInstances);
        revisionAnnotations["autoscaling.knative.dev/maxScale"] = Number(settings.MaxInstances);
        revisionAnnotations["run.googleapis.com/cpu-throttling"] = settings.CpuAlwaysAllocated ? "false" : "true";
        revisionAnnotations["run.googleapis.com/startup-cpu-boost"] = "true";
        revisionAnnotations["run.googleapis.com/execution-environment"] = "gen2";
        if (settings.SessionAffinity)
        {
            revisionAnnotations["run.googleapis.com/sessionAffinity"] = "true";
        }

        var container = CreateContainer(service);
        container.Ports = [new ContainerPortNode { ContainerPort = service.Port }];
        if (service.HasHealthProbes)
        {
            // ServiceDefaults: /health = ready (dependencies reachable), /alive = the process is responsive.
            container.StartupProbe = new ProbeNode
            {
                HttpGet = new HttpGetNode { Path = "/health", Port = service.Port },
                PeriodSeconds = 5,
                TimeoutSeconds = 3,
                FailureThreshold = 24,
            };
            container.LivenessProbe = new ProbeNode
            {
                HttpGet = new HttpGetNode { Path = "/alive", Port = service.Port },
                PeriodSeconds = 30,
                TimeoutSeconds = 5,
                FailureThreshold = 3,
            };
        }

        List<ContainerNode> containers = [container];
        List<VolumeNode>? volumes = null;
        if (service.Telemetry is { } telemetry)
        {
            containers.Add(CreateCollector(telemetry));
            volumes = [CollectorConfigVolume()];
            // The app starts once the collector answers its health check, so no early span or metric is lost.
            revisionAnnotations["run.googleapis.com/container-dependencies"] =
                JsonSerializer.Serialize(new Dictionary<string, string[]> { [container.Name!] = [TelemetrySidecar.ContainerName] });
        }

        return new KnativeServiceNode
        {
            Metadata = new ObjectMetaNode
            {
                Name = service.Name,
                Labels = Labels(model),
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["run.googleapis.com/ingress"] = settings.Ingress,
                },
            },
            Spec = new ServiceSpecNode
            {
                Template = new RevisionTemplateNode
                {
                    Metadata = new ObjectMetaNode { Labels = Labels(model, includeLocation: false), Annotations = revisionAnnotations },
                    Spec = new RevisionSpecNode
                    {
                        ContainerConcurrency = settings.Concurrency,
                        TimeoutSeconds = settings.TimeoutSeconds,
                        ServiceAccountName = service.ServiceAccountEmail,
                        Containers = containers,
                        Volumes = volumes,
                    },
                },
                Traffic = [new TrafficTargetNode { Percent = 100, LatestRevision = true }],
            },
        };
    }

    public static CloudRunJobNode CreateJob(Workload job, DeploymentModel model) => new()
    {
        Metadata = new ObjectMetaNode
        {
            Name = job.Name,
            Labels = Labels(model),
        },
        Spec = new JobSpecNode
        {
            Template = new ExecutionTemplateNode
            {
                Metadata = new ObjectMetaNode { Annotations = NetworkAnnotations(model) },
                Spec = new ExecutionSpecNode
                {
                    Template = new TaskTemplateNode
                    {
                        Spec = new TaskSpecNode
                        {
                            Containers = [CreateContainer(job)],
                            MaxRetries = EnvironmentProfile.JobMaxRetries,
                            TimeoutSeconds = job.Settings.TimeoutSeconds,
                            ServiceAccountName = job.ServiceAccountEmail,
                        },
                    },
                },
            },
        },
    };

    private static ContainerNode CreateContainer(Workload workload) => new()
    {
        Name = workload.Name,
        Image = workload.Image,
        Args = workload.Args.Count > 0 ? [.. workload.Args] : null,
        Env = workload.Environment.Count > 0 ? workload.Environment.Select(ToEnvVar).ToList() : null,
        Resources = new ResourcesNode
        {
            Limits = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["cpu"] = workload.Settings.Cpu,
                ["memory"] = workload.Settings.Memory,
            },
        },
    };

    private static ContainerNode CreateCollector(TelemetrySidecar telemetry) => new()
    {
        Name = TelemetrySidecar.ContainerName,
        Image = telemetry.Image,
        Args = [$"--config={TelemetrySidecar.ConfigDirectory}/{TelemetrySidecar.ConfigFile}"],
        Resources = new ResourcesNode
        {
            Limits = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["cpu"] = TelemetrySidecar.Cpu,
                ["memory"] = TelemetrySidecar.Memory,
            },
        },
        StartupProbe = new ProbeNode
        {
            HttpGet = new HttpGetNode { Path = "/", Port = TelemetrySidecar.HealthCheckPort },
            PeriodSeconds = 5,
            TimeoutSeconds = 3,
            FailureThreshold = 12,
        },
        VolumeMounts = [new VolumeMountNode { Name = TelemetrySidecar.ConfigVolume, MountPath = TelemetrySidecar.ConfigDirectory }],
    };

    private static VolumeNode CollectorConfigVolume() => new()
    {
        Name = TelemetrySidecar.ConfigVolume,
        Secret = new SecretVolumeSourceNode
        {
            SecretName = TelemetrySidecar.ConfigSecret,
            Items = [new KeyToPathNode { Key = "latest", Path = TelemetrySidecar.ConfigFile }],
        },
    };

    private static EnvVarNode ToEnvVar(EnvironmentEntry entry) => entry.SecretName is { } secret
        ? new EnvVarNode { Name = entry.Name, ValueFrom = new EnvVarSourceNode { SecretKeyRef = new SecretKeyRefNode { Name = secret } } }
        : new EnvVarNode { Name = entry.Name, Value = entry.Value ?? string.Empty };

    /// <summary>Direct VPC egress into the app subnet; all traffic leaves through the VPC (Cloud NAT for the internet).</summary>
    private static SortedDictionary<string, string> NetworkAnnotations(DeploymentModel model)
    {
        var interfaces = JsonSerializer.Serialize(new[] { new NetworkInterface(model.NetworkName, model.AppSubnetName) }, NetworkInterfaceJson.Options);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["run.googleapis.com/network-interfaces"] = interfaces,
            ["run.googleapis.com/vpc-access-egress"] = "all-traffic",
        };
    }

    /// <summary>The location label tells <c>gcloud run ... replace</c> the region; revisions inherit it, so it is only set on top.</summary>
    private static SortedDictionary<string, string> Labels(DeploymentModel model, bool includeLocation = true)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = ManagedByLabel,
            ["environment"] = model.Profile.Name,
        };
        if (includeLocation)
        {
            labels["cloud.googleapis.com/location"] = model.Options.Region;
        }

        return labels;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record NetworkInterface(string Network, string Subnetwork);

    private static class NetworkInterfaceJson
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    }
}
