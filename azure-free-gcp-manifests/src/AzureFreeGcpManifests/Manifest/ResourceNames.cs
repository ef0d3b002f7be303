using System.Text.RegularExpressions;

namespace AzureFreeGcpManifests.Manifest;

/// <summary>Aspire resource names become Cloud Run, Secret Manager and service-account names, so they must fit all three.</summary>
internal static partial class ResourceNames
{
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    /// <summary>Lowercase, hyphen-separated form of any identifier (env var names, project file names).</summary>
    public static string ToKebab(string text)
    {
        var kebab = NonAlphanumeric().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return RepeatedHyphens().Replace(kebab, "-");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("-{2,}")]
    private static partial Regex RepeatedHyphens();
}
