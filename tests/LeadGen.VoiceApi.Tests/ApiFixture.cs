using System.Net.Http.Headers;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// The real VoiceApi on Kestrel (127.0.0.1, free port) over a real, freshly migrated Postgres database and a real
/// Redis, shared by the API test classes (each creates its own campaigns, so they do not interfere).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string ApiKey = "test-management-key-3f9a";
    private readonly SharedServers _servers = new();
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Client { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        ConnectionString = await _servers.Postgres.CreateMigratedDatabaseAsync("api");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("ConnectionStrings:leadgendb", ConnectionString);
            web.UseSetting("ConnectionStrings:cache", _servers.Redis.ConnectionString);
            web.UseSetting("ManagementApi:ApiKey", ApiKey);
            web.UseSetting("Leads:DefaultRegion", "US");
            web.UseSetting("Leads:ImportMaxBytes", (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = NewClient(ApiKey);
        BaseAddress = Client.BaseAddress!;
    }

    /// <summary>A client over real HTTP; <paramref name="apiKey"/> null sends no key.</summary>
    public HttpClient NewClient(string? apiKey)
    {
        var client = _factory!.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
