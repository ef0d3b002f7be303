using LeadGen.Core.Gemini.Vertex;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// Where the Live API (BidiGenerateContent over WebSocket) is and what the model is called there.
/// Vertex: <c>wss://{host}/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent</c>, the host as for REST
/// (<see cref="VertexHost"/>: <c>{region}-aiplatform.googleapis.com</c>, <c>aiplatform.{us|eu}.rep.googleapis.com</c>)
/// with model <c>projects/{project}/locations/{location}/publishers/google/models/{LiveModel}</c>.
/// API-key (Vertex AI express) mode: the global host <c>aiplatform.googleapis.com</c>, the same path, the key in the
/// <c>x-goog-api-key</c> header and model <c>publishers/google/models/{LiveModel}</c>, which is how Google's Gen AI SDK
/// connects in express mode (checked against its source; not yet exercised against the live service from here).
/// <c>Gemini:Endpoint</c> (http/https base) overrides the host the same way it does for REST calls (tests, fakes).
/// </summary>
public static class GeminiLiveEndpoint
{
    public const string Path = "ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent";

    public static Uri WebSocketUri(GeminiOptions options, GeminiMode mode)
    {
        var baseUri = VertexHost.BaseUri(options, mode);
        var builder = new UriBuilder(new Uri(baseUri, Path))
        {
            Scheme = baseUri.Scheme == Uri.UriSchemeHttp ? "ws" : "wss",
        };
        return builder.Uri;
    }

    public static string ModelResource(GeminiOptions options, GeminiMode mode) => mode == GeminiMode.Vertex
        ? $"projects/{options.Project?.Trim()}/locations/{options.Location.Trim()}/publishers/google/models/{options.LiveModel}"
        : $"publishers/google/models/{options.LiveModel}";
}
