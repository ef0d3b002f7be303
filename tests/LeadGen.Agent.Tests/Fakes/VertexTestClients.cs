using Google.Apis.Auth.OAuth2;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadGen.Agent.Tests.Fakes;

internal static class VertexTestClients
{
    public const string Project = "leadgen-test-project";
    public const string Model = "gemini-2.5-flash";
    public const string Token = "ya29.fake-access-token";

    public static GeminiOptions Options(FakeVertexServer server, string location = "europe-west4", GeminiMode mode = GeminiMode.Vertex) => new()
    {
        Mode = mode == GeminiMode.ApiKey ? "apikey" : "vertex",
        Project = Project,
        Location = location,
        Model = Model,
        ApiKey = server.Expectations.ApiKey,
        Endpoint = server.BaseUri,
        RequestTimeout = TimeSpan.FromSeconds(5),
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromSeconds(3),
        MaxAttempts = 3,
    };

    /// <summary>A real Google.Apis.Auth credential holding a fixed access token.</summary>
    public static IVertexAuthenticator TokenAuthenticator(string token = Token) =>
        new GoogleCredentialAuthenticator(() => Task.FromResult<ITokenAccess>(GoogleCredential.FromAccessToken(token)));

    public static VertexChatClient Create(FakeVertexServer server, GeminiOptions options, IVertexAuthenticator? authenticator = null)
    {
        var mode = options.ResolveMode();
        authenticator ??= mode == GeminiMode.ApiKey ? new ApiKeyAuthenticator(options.ApiKey!) : TokenAuthenticator();
        return new VertexChatClient(new HttpClient(), options, mode, authenticator, TimeProvider.System, NullLogger<VertexChatClient>.Instance);
    }
}
