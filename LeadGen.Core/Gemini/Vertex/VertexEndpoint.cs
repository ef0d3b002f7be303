namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Vertex AI URLs for a model. Vertex mode: <c>https://{location}-aiplatform.googleapis.com/v1/projects/{project}/
/// locations/{location}/publishers/google/models/{model}</c> (host per <see cref="VertexHost"/>: global and the
/// multi-regions us/eu have their own).
/// API-key (express) mode: <c>https://aiplatform.googleapis.com/v1/publishers/google/models/{model}</c>.
/// </summary>
public sealed class VertexEndpoint
{
    private readonly Uri _baseUri;
    private readonly string _modelPathPrefix;

    public VertexEndpoint(GeminiOptions options, GeminiMode mode)
    {
        var location = options.Location.Trim();
        _baseUri = VertexHost.BaseUri(options, mode);

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

    /// <summary>Model Garden's publisher model resource (<c>GET</c>: does the model exist, is it retired?). Not project-scoped.</summary>
    public Uri PublisherModelResource(string model) => new(_baseUri, "v1/publishers/google/models/" + Uri.EscapeDataString(model));

    public Uri StreamGenerateContent(string model) => new(_baseUri, _modelPathPrefix + Uri.EscapeDataString(model) + ":streamGenerateContent?alt=sse");
}
