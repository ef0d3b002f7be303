using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Vertex mode: an OAuth access token from Application Default Credentials (a local <c>gcloud auth
/// application-default login</c>, a key file named by GOOGLE_APPLICATION_CREDENTIALS, or on Cloud Run the metadata
/// server and the service's account). Google.Apis.Auth caches the token and refreshes it before it expires, so a
/// request only waits for a token after expiry.
/// </summary>
internal sealed class GoogleCredentialAuthenticator : IVertexAuthenticator
{
    private const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly Func<Task<ITokenAccess>> _credentialFactory;
    private readonly Lock _gate = new();
    private Task<ITokenAccess>? _credential;

    public GoogleCredentialAuthenticator()
        : this(async () => (await GoogleCredential.GetApplicationDefaultAsync()).CreateScoped(CloudPlatformScope))
    {
    }

    /// <param name="credentialFactory">Creates the credential once, on first use (ADC lookup may touch the metadata server).</param>
    public GoogleCredentialAuthenticator(Func<Task<ITokenAccess>> credentialFactory)
    {
        _credentialFactory = credentialFactory;
    }

    public async ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var credential = await CredentialAsync().WaitAsync(cancellationToken);
        var token = await credential.GetAccessTokenForRequestAsync(request.RequestUri?.ToString(), cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The credential, created once; a failed lookup (e.g. metadata server not up yet) is retried next time.</summary>
    private Task<ITokenAccess> CredentialAsync()
    {
        lock (_gate)
        {
            if (_credential is null || _credential.IsFaulted || _credential.IsCanceled)
            {
                _credential = _credentialFactory();
            }

            return _credential;
        }
    }
}
