namespace LeadGen.SmokeTest;

/// <summary>
/// What the smoke test checks and how patiently. The management API key comes from an environment variable (never an
/// argument), so it does not show up in process listings or CI logs.
/// </summary>
internal sealed record SmokeOptions(Uri BaseUrl, Uri ApiUrl, string? ApiKey, string ApiKeyVariable, TimeSpan HealthWait, TimeSpan RequestTimeout)
{
    public const string DefaultApiKeyVariable = "LEADGEN_MANAGEMENT_API_KEY";

    /// <summary>A base address for relative requests: exactly one trailing slash.</summary>
    public static Uri AsBase(Uri url) => new(url.AbsoluteUri.TrimEnd('/') + "/");
}
