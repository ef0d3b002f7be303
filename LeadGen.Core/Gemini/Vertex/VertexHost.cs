namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// The Vertex AI host for a location, shared by the REST client, the Live API and the startup model check:
/// a region (<c>europe-west4</c>) → <c>https://europe-west4-aiplatform.googleapis.com/</c>; a multi-region (<c>us</c>,
/// <c>eu</c>) → <c>https://aiplatform.us.rep.googleapis.com/</c> (regional endpoints for multi-region data residency);
/// <c>global</c> and API-key (express) mode → <c>https://aiplatform.googleapis.com/</c>. <c>Gemini:Endpoint</c> wins.
/// </summary>
public static class VertexHost
{
    /// <summary>Locations served from a multi-region <c>rep</c> host rather than a regional one.</summary>
    public static IReadOnlySet<string> MultiRegions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "us", "eu" };

    public static Uri BaseUri(GeminiOptions options, GeminiMode mode)
    {
        if (options.Endpoint is { } endpoint)
        {
            return endpoint;
        }

        var location = options.Location.Trim().ToLowerInvariant();
        if (mode == GeminiMode.ApiKey || location == "global")
        {
            return new Uri("https://aiplatform.googleapis.com/");
        }

        return MultiRegions.Contains(location)
            ? new Uri($"https://aiplatform.{location}.rep.googleapis.com/")
            : new Uri($"https://{location}-aiplatform.googleapis.com/");
    }
}
