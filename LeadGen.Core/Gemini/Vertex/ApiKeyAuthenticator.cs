namespace LeadGen.Core.Gemini.Vertex;

/// <summary>API-key (express) mode: the key goes in the <c>x-goog-api-key</c> header, never in the URL, so it stays out of logs and traces.</summary>
internal sealed class ApiKeyAuthenticator(string apiKey) : IVertexAuthenticator
{
    public const string HeaderName = "x-goog-api-key";

    public ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(HeaderName, apiKey);
        return ValueTask.CompletedTask;
    }
}
