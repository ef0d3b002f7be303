namespace LeadGen.Core.Gemini.Vertex;

/// <summary>Adds credentials to a Vertex AI request (a bearer token or an API key header).</summary>
public interface IVertexAuthenticator
{
    ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}
