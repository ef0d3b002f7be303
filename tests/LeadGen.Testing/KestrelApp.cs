using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadGen.Testing;

/// <summary>
/// An app under test (the VoiceApi's <c>Program</c>) on real Kestrel at 127.0.0.1 on a port of its own, over a freshly
/// migrated database and the shared Redis. <c>PublicBaseUrl</c> is the address it really listens on, as Twilio would
/// see it. One place for what every API test host needs; each test project adds its own settings and fakes.
/// </summary>
public sealed class KestrelApp<TEntryPoint> : IAsyncDisposable
    where TEntryPoint : class
{
    private readonly WebApplicationFactory<TEntryPoint> _factory;

    internal KestrelApp(WebApplicationFactory<TEntryPoint> factory, Uri baseUrl, string connectionString)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        ConnectionString = connectionString;
    }

    public Uri BaseUrl { get; }

    /// <summary>The app's own database (created and migrated for it).</summary>
    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>A client over real HTTP to the app; <paramref name="apiKey"/> null sends no management key.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = _factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>Starts a <see cref="KestrelApp{TEntryPoint}"/>.</summary>
public static class KestrelApp
{
    /// <param name="databaseName">Prefix of the fresh database's name (shows in logs which tests made it).</param>
    /// <param name="settings">Configuration on top of the connection strings and <c>PublicBaseUrl</c> (and able to replace them).</param>
    /// <param name="configure">Anything else, e.g. test services or logging.</param>
    public static async Task<KestrelApp<TEntryPoint>> StartAsync<TEntryPoint>(
        SharedServers servers, string databaseName, IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure = null)
        where TEntryPoint : class
    {
        var connectionString = await servers.Postgres.CreateMigratedDatabaseAsync(databaseName);
        // An explicit port: Kestrel's default (5000) may be held by anything else on the machine.
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:leadgendb"] = connectionString,
            ["ConnectionStrings:cache"] = servers.Redis.ConnectionString,
            ["PublicBaseUrl"] = baseUrl.ToString().TrimEnd('/'),
            ["Demo:Seed"] = "false", // the Development demo campaign would be 300 leads nobody asked for
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }

            configure?.Invoke(web);
        });
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new KestrelApp<TEntryPoint>(factory, baseUrl, connectionString);
    }
}
