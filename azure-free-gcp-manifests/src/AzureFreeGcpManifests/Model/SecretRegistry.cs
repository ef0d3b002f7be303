using AzureFreeGcpManifests.Manifest;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Collects the Secret Manager secrets: one per secret parameter, and one per distinct composed value (a connection
/// string, a host) shared by every workload that uses the same template. Names are stable for a given manifest.
/// </summary>
internal sealed class SecretRegistry
{
    private readonly SortedDictionary<string, (SecretSource Source, string Template, string Origin)> secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> composedByTemplate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> usedBy = new(StringComparer.Ordinal);

    public void AddParameter(string name, SecretSource source, string origin) => secrets[name] = (source, string.Empty, origin);

    /// <summary>The secret holding <paramref name="template"/>, created under <paramref name="preferredName"/> if new.</summary>
    public string AddComposed(string template, string preferredName, string workload, string origin)
    {
        if (composedByTemplate.TryGetValue(template, out var existing))
        {
            return existing;
        }

        var baseName = ResourceNames.ToKebab(preferredName);
        var name = baseName;
        if (secrets.ContainsKey(name))
        {
            name = $"{baseName}-{workload}";
        }

        for (var counter = 2; secrets.ContainsKey(name); counter++)
        {
            name = $"{baseName}-{workload}-{counter}";
        }

        secrets[name] = (SecretSource.Composed, template, origin);
        composedByTemplate[template] = name;
        return name;
    }

    public void MarkUsed(string secret, string workload)
    {
        if (!usedBy.TryGetValue(secret, out var workloads))
        {
            usedBy[secret] = workloads = new SortedSet<string>(StringComparer.Ordinal);
        }

        workloads.Add(workload);
    }

    public IReadOnlyList<SecretDefinition> ToList() =>
        secrets.Select(pair => new SecretDefinition(
                pair.Key, pair.Value.Source, pair.Value.Template, pair.Value.Origin,
                usedBy.TryGetValue(pair.Key, out var workloads) ? [.. workloads] : []))
            .ToList();
}
