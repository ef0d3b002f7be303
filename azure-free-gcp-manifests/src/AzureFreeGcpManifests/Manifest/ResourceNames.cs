using System.Text.RegularExpressions;

namespace AzureFreeGcpManifests.Manifest;

/// <summary>Aspire resource names (letters, digits, hyphens) become Cloud Run, Secret Manager and service-account names.</summary>
internal static partial class ResourceNames
{
    public static bool IsValid(string name) => ValidName().IsMatch(name);

    /// <summary>Cloud Run service and job names: lowercase letters, digits and hyphens, at most 49 characters.</summary>
    public static bool IsValidWorkloadName(string name) => ValidWorkloadName().IsMatch(name);

    /// <summary>Lowercase, hyphen-separated form of any identifier (env var names, project file names).</summary>
    public static string ToKebab(string text)
    {
        var kebab = NonAlphanumeric().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return RepeatedHyphens().Replace(kebab, "-");
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$")]
    private static partial Regex ValidWorkloadName();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("-{2,}")]
    private static partial Regex RepeatedHyphens();
}
