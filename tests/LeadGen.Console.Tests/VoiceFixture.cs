extern alias voiceapi;

using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using LeadGen.Testing.Twilio;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

/// <summary>
/// A second console, this one with a live voice model (the fake Gemini Live server, speaking the real wire format),
/// and a Chromium whose microphone is a spoken WAV made with espeak-ng (Chromium's fake capture device), for the voice
/// test call. Beside it the real VoiceApi on the same database and Redis, its telephony provider Twilio pointed at the
/// fake Twilio REST API, for phone calls an operator hangs up or transfers from the console. Its own Postgres, Redis and
/// browser: the main fixture's console stays "no voice model configured".
/// </summary>
public sealed class VoiceFixture : IAsyncLifetime
{
    /// <summary>What the fake model "hears" the lead say (it detects the turn by voice activity, then transcribes this).</summary>
    public const string CallerText = "I would like to hear more about your offer.";

    public const string AgentReply = "Great, what budget do you have in mind for this project?";

    private readonly SharedServers _servers = new();
    public const string AccountSid = "AC00000000000000000000000000000000";
    public const string AuthToken = "test-auth-token-not-a-secret";

    private KestrelApp<Program>? _app;
    private KestrelApp<voiceapi::Program>? _voiceApi;
    private IPlaywright? _playwright;
    private string? _wav;

    public FakeGeminiLiveServer Gemini { get; private set; } = null!;

    public FakeTwilioRestApi Twilio { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseUrl => _app!.BaseUrl;

    /// <summary>The VoiceApi's address (Twilio's webhooks and media streams).</summary>
    public Uri VoiceApiUrl => _voiceApi!.BaseUrl;

    public IServiceProvider Services => _app!.Services;

    public SharedServers Servers => _servers;

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        Gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            OpeningReply = "Hello, this is Ava, an AI assistant from Acme. This call may be recorded.",
            Turns = [new FakeGeminiTurn(CallerText, AgentReply)],
        });
        Twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        // What a deployment gives both services: the same Twilio account and voice model.
        var shared = new Dictionary<string, string?>
        {
            ["Telephony:Provider"] = "twilio",
            ["Twilio:AccountSid"] = AccountSid,
            ["Twilio:AuthToken"] = AuthToken,
            ["Twilio:ApiBaseUrl"] = Twilio.BaseUrl.ToString(),
            ["Gemini:Mode"] = "apikey",
            ["Gemini:ApiKey"] = "fake-key",
            ["Gemini:Endpoint"] = Gemini.Endpoint.ToString(),
        };
        _app = await KestrelApp.StartAsync<Program>(_servers, "console_voice", new Dictionary<string, string?>(shared)
        {
            ["ManagementApi:ApiKey"] = "console-voice-tests-key",
        });
        _voiceApi = await KestrelApp.StartAsync<voiceapi::Program>(_servers, "console_voiceapi", new Dictionary<string, string?>(shared)
        {
            ["ConnectionStrings:leadgendb"] = _app.ConnectionString,
        });

        // The lead waits through the agent's opening, says one sentence, then listens. Chromium loops the file from
        // when the microphone opens, so on a slow machine (the call connecting late) the next round still says it.
        _wav = await SpokenWav.CreateAsync(CallerText, TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(11));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={_wav}",
            ],
        });
    }

    public async Task<IPage> SignedInPageAsync(string role, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = _app!.BaseUrl.ToString() });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.CheckAsync($"input[type=radio][value={role}]");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("text=" + $"Developer ({role})");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_voiceApi is not null)
        {
            await _voiceApi.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Twilio is not null)
        {
            await Twilio.DisposeAsync();
        }

        if (Gemini is not null)
        {
            await Gemini.DisposeAsync();
        }

        await _servers.DisposeAsync();
        if (_wav is not null)
        {
            File.Delete(_wav);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class VoiceCollection : ICollectionFixture<VoiceFixture>
{
    public const string Name = "voice";
}
