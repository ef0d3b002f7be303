using LeadGen.Testing;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

/// <summary>
/// The real console on Kestrel (127.0.0.1, free port, Development: the development sign-in is offered to loopback
/// clients) over a fresh migrated Postgres database and a real Redis, and one Debian Chromium for the whole collection.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private readonly SharedServers _servers = new();
    private KestrelApp<Program>? _app;
    private IPlaywright? _playwright;

    /// <summary>The recording bucket the console plays from (the fake Cloud Storage JSON API).</summary>
    public LeadGen.Testing.GoogleCloud.FakeCloudStorageServer Recordings { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseUrl => _app!.BaseUrl;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Where page screenshots go (a test artifact): artifacts/console-screenshots at the repository root.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "console-screenshots");

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        Recordings = await LeadGen.Testing.GoogleCloud.FakeCloudStorageServer.StartAsync();
        _app = await KestrelApp.StartAsync<Program>(_servers, "console", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = "console-tests-key",
            ["Leads:DefaultRegion"] = "US",
            // The console starts campaigns only when the deployment can dial (the API's 409 rule).
            ["Telephony:Provider"] = "simulator",
            ["Twilio:AuthToken"] = "test-auth-token-not-a-secret",
            ["Recordings:Bucket"] = Recordings.Bucket,
            ["Recordings:StorageEndpoint"] = Recordings.BaseUri,
        });
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh browser context (own cookies) signed in with the development sign-in as <paramref name="role"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string role, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = BaseUrl.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.CheckAsync($"input[type=radio][value={role}]");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=" + $"Developer ({role})");
        return page;
    }

    /// <summary>Opens <paramref name="path"/> and waits until its circuit is interactive (prerendered pages ignore input before that).</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _servers.DisposeAsync();
        if (Recordings is not null)
        {
            await Recordings.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
