using System.Text.Json;
using System.Text.Json.Serialization;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Optional per-service overrides (<c>--overlay FILE</c>), per environment, on top of the built-in profile:
/// <code>{ "production": { "voiceapi": { "concurrency": 40, "memory": "2Gi" } }, "staging": { ... } }</code>
/// Unknown environments, services or settings are errors, so a typo never silently does nothing.
/// </summary>
internal sealed class ServiceOverlay
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<string, Dictionary<string, WorkloadOverride>> environments;

    private ServiceOverlay(Dictionary<string, Dictionary<string, WorkloadOverride>> environments) => this.environments = environments;

    public static ServiceOverlay Empty { get; } = new([]);

    public static ServiceOverlay Parse(string json, string source)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, WorkloadOverride>>>(json, JsonOptions) ?? [];
            var unknown = parsed.Keys.Where(environment => environment is not ("staging" or "production")).ToList();
            if (unknown.Count > 0)
            {
                throw new PublishException($"{source}: unknown environment(s) {string.Join(", ", unknown.Select(name => $"'{name}'"))}; use 'staging' or 'production'");
            }

            return new ServiceOverlay(parsed);
        }
        catch (JsonException exception)
        {
            throw new PublishException($"{source}: not a valid overlay ({exception.Message})");
        }
    }

    /// <summary>Service names the overlay mentions for <paramref name="environment"/>.</summary>
    public IEnumerable<string> ServicesFor(string environment) =>
        environments.TryGetValue(environment, out var services) ? services.Keys : [];

    public WorkloadSettings Apply(string environment, string service, WorkloadSettings settings)
    {
        if (!environments.TryGetValue(environment, out var services) || !services.TryGetValue(service, out var change))
        {
            return settings;
        }

        return settings with
        {
            MinInstances = change.MinInstances ?? settings.MinInstances,
            MaxInstances = change.MaxInstances ?? settings.MaxInstances,
            Concurrency = change.Concurrency ?? settings.Concurrency,
            Cpu = change.Cpu ?? settings.Cpu,
            Memory = change.Memory ?? settings.Memory,
            CpuAlwaysAllocated = change.CpuAlwaysAllocated ?? settings.CpuAlwaysAllocated,
            SessionAffinity = change.SessionAffinity ?? settings.SessionAffinity,
            TimeoutSeconds = change.TimeoutSeconds ?? settings.TimeoutSeconds,
        };
    }

    internal sealed record WorkloadOverride(
        int? MinInstances,
        int? MaxInstances,
        int? Concurrency,
        string? Cpu,
        string? Memory,
        bool? CpuAlwaysAllocated,
        bool? SessionAffinity,
        int? TimeoutSeconds);
}
