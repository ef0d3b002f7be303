using System.Net.Http.Headers;
using LeadGen.Testing;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// The real VoiceApi on Kestrel (127.0.0.1, free port) over a real, freshly migrated Postgres database and a real
/// Redis, shared by the API test classes (each creates its own campaigns, so they do not interfere).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string ApiKey = "test-management-key-3f9a";
    private readonly SharedServers _servers = new();
    private KestrelApp<Program>? _app;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The Postgres and Redis behind the app (for tests that start another app, e.g. without telephony).</summary>
    public SharedServers Servers => _servers;

    public string ConnectionString => _app!.ConnectionString;

    public Uri BaseAddress => _app!.BaseUrl;

    public IServiceProvider Services => _app!.Services;

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        _app = await KestrelApp.StartAsync<Program>(_servers, "api", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = ApiKey,
            ["Leads:DefaultRegion"] = "US",
            ["Leads:ImportMaxBytes"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Campaigns can start only with a telephony provider: the simulator (signing with a test token).
            ["Telephony:Provider"] = "simulator",
            ["Twilio:AuthToken"] = "test-auth-token-not-a-secret",
        });
        Client = NewClient(ApiKey);
    }

    /// <summary>A client over real HTTP; <paramref name="apiKey"/> null sends no key.</summary>
    public HttpClient NewClient(string? apiKey)
    {
        var client = _app!.CreateClient(apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
