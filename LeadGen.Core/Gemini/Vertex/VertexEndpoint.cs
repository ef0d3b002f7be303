namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Vertex AI URLs for a model. Vertex mode: <c>https://{location}-aiplatform.googleapis.com/v1/projects/{project}/
/// locations/{location}/publishers/google/models/{model}</c> (the global location uses the host without a region).
/// API-key (express) mode: <c>https://aiplatform.googleapis.com/v1/publishers/google/models/{model}</c>.
/// </summary>
internal sealed class VertexEndpoint
{
    private readonly Uri _baseUri;
    private readonly string _modelPathPrefix;

    public VertexEndpoint(GeminiOptions options, GeminiMode mode)
    {
        var location = options.Location.Trim();
        var isGlobal = string.Equals(location, "global", StringComparison.OrdinalIgnoreCase);
        _baseUri = options.Endpoint ?? new Uri(mode == GeminiMode.ApiKey || isGlobal
            ? "https://aiplatform.googleapis.com/"
            : $"https://{location}-aiplatform.googleapis.com/");

        if (mode == GeminiMode.ApiKey)
        {
            _modelPathPrefix = "v1/publishers/google/models/";
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.Project))
            {
                throw new InvalidOperationException("Gemini:Mode=vertex needs Gemini:Project (the Google Cloud project id).");
            }

            _modelPathPrefix = $"v1/projects/{Uri.EscapeDataString(options.Project.Trim())}/locations/{Uri.EscapeDataString(location)}/publishers/google/models/";
        }
    }

    public Uri BaseUri => _baseUri;

    public Uri GenerateContent(string model) => new(_baseUri, _modelPathPrefix + Uri.EscapeDataString(model) + ":generateContent");

    public Uri StreamGenerateContent(string model) => new(_baseUri, _modelPathPrefix + Uri.EscapeDataString(model) + ":streamGenerateContent?alt=sse");
}
