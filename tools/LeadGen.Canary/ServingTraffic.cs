using System.Text.Json;

namespace LeadGen.Canary;

/// <summary>One revision receiving traffic now, read from <c>gcloud run services describe --format=json</c> (status.traffic).</summary>
internal sealed record ServingRevision(string RevisionName, int Percent, string? Tag);

internal static class ServingTraffic
{
    /// <summary>The revisions that serve traffic now; empty when the service does not exist yet (empty or missing file).</summary>
    public static IReadOnlyList<ServingRevision> Read(string? describeJsonPath)
    {
        if (describeJsonPath is null || !File.Exists(describeJsonPath) || new FileInfo(describeJsonPath).Length == 0)
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(describeJsonPath));
        if (!document.RootElement.TryGetProperty("status", out var status) || !status.TryGetProperty("traffic", out var traffic))
        {
            return [];
        }

        var serving = new List<ServingRevision>();
        foreach (var target in traffic.EnumerateArray())
        {
            var percent = target.TryGetProperty("percent", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
            if (percent > 0 && target.TryGetProperty("revisionName", out var name) && name.GetString() is { Length: > 0 } revision)
            {
                var tag = target.TryGetProperty("tag", out var t) ? t.GetString() : null;
                serving.Add(new ServingRevision(revision, percent, tag));
            }
        }

        // The same revision can appear twice (latestRevision + pinned): merge so percents still sum to 100.
        return serving
            .GroupBy(r => r.RevisionName, StringComparer.Ordinal)
            .Select(g => new ServingRevision(g.Key, g.Sum(r => r.Percent), g.Select(r => r.Tag).FirstOrDefault(t => t is not null)))
            .OrderByDescending(r => r.Percent)
            .ThenBy(r => r.RevisionName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The URL Cloud Run gives a tagged traffic target (status.traffic[].url), or null when there is none.</summary>
    public static string? TagUrl(string describeJsonPath, string tag)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(describeJsonPath));
        if (!document.RootElement.TryGetProperty("status", out var status) || !status.TryGetProperty("traffic", out var traffic))
        {
            return null;
        }

        return traffic.EnumerateArray()
            .Where(t => t.TryGetProperty("tag", out var name) && name.GetString() == tag && t.TryGetProperty("url", out _))
            .Select(t => t.GetProperty("url").GetString())
            .FirstOrDefault(url => !string.IsNullOrEmpty(url));
    }
}
