using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

/// <summary>The voice test call on "Try the agent", end to end: fake microphone → socket → call pipeline → fake Gemini Live → audio back.</summary>
[Collection(VoiceCollection.Name)]
public sealed class VoiceCallTests(VoiceFixture voice)
{
    private readonly ConsoleData _data = new(voice.Services);

    [Fact]
    public async Task A_voice_test_call_plays_the_agent_and_shows_both_sides_of_the_transcript()
    {
        var campaign = await _data.CampaignAsync("Voice " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Vera Voice", "+14155550666");
        var page = await voice.SignedInPageAsync("operator");
        await ConsoleFixture.OpenAsync(page, "try");
        await page.SelectOptionAsync("#try-campaign", campaign.Id.ToString());
        await page.Locator("#try-lead option:has-text('Vera Voice')").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        await page.ClickAsync("button:has-text('Start a voice call')");

        var section = page.Locator("[data-testid=voice-call]");
        await section.Locator("li.agent:has-text('This call may be recorded')").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        try
        {
            await section.Locator($"li.caller:has-text('{VoiceFixture.CallerText}')").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"No caller turn: the model got {voice.Gemini.AudioFrames} frames of audio, {voice.Gemini.Interruptions} interruptions.", exception);
        }

        await section.Locator("li.agent:has-text('what budget do you have in mind')").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        // The agent was heard in the page: Web Audio played its samples, and they were not silence.
        var played = section.Locator("[data-testid=voice-played]");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=voice-played]')?.dataset.samples) > 24000");
        Assert.True(double.Parse(await played.GetAttributeAsync("data-peak") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0.01, "the played agent audio had no level");
        Assert.True(voice.Gemini.AudioFrames > 100, "the microphone's audio reached the voice model");
        await PageChecks.AssertAccessibleAsync(page, "voice test call");
        await PageChecks.ScreenshotAsync(page, "try-the-agent-voice-call-1280x800");

        // Another operator sees the browser call live: it cannot be transferred (no phone line), and hanging it up from
        // there reaches this page through the call's control channel.
        var calls = voice.Services.GetRequiredService<CallStore>();
        var call = (await calls.ListAsync(new CallQuery { LeadId = lead.Id }, CancellationToken.None)).Items.Single();
        var supervisor = await voice.SignedInPageAsync("operator");
        await ConsoleFixture.OpenAsync(supervisor, "live");
        await supervisor.Locator($"tr[data-call='{call.Id}'] button").ClickAsync();
        await supervisor.WaitForSelectorAsync($"tr[data-call='{call.Id}'].selected");
        await supervisor.ClickAsync("button:has-text('Transfer to a human…')");
        await supervisor.ClickAsync("button:has-text('Transfer now')");
        await supervisor.WaitForSelectorAsync("[data-testid=call-control-message]:has-text('cannot be transferred')");
        await supervisor.ClickAsync("button:has-text('Hang up…')");
        await supervisor.ClickAsync("button:has-text('Hang up now')");
        await supervisor.WaitForSelectorAsync("[data-testid=call-control-message]:has-text('Hanging up the call')");
        await page.WaitForSelectorAsync("[data-testid=voice-call][data-state=ended]");
        await supervisor.Context.CloseAsync();
        Assert.Equal(BrowserTestCalls.Provider, call.Provider);
        await WaitForAsync(async () => (await calls.GetAsync(call.Id, CancellationToken.None))!.Status == CallStatuses.Completed);
        var transcript = await calls.GetTranscriptAsync(call.Id, CancellationToken.None);
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.Caller && turn.Text.Contains("hear more", StringComparison.Ordinal));

        // The call detail measures how long the agent took to answer the lead, from what the pipeline stored.
        await page.ClickAsync("text=open its call detail");
        await page.WaitForSelectorAsync("table[aria-label='Response latency per agent turn'] tbody tr");
        Assert.Contains("ms", await page.InnerTextAsync("[data-testid=latency-summary]"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_voice_call_section_renders_accessibly_when_a_voice_model_is_configured(int width, int height)
    {
        var campaign = await _data.CampaignAsync("Voice page " + Guid.NewGuid().ToString("N")[..6]);
        await _data.LeadAsync(campaign.Id, "Pia Page", "+14155550665");
        var page = await voice.SignedInPageAsync("operator", width, height);
        await ConsoleFixture.OpenAsync(page, "try");
        await page.WaitForSelectorAsync("button:has-text('Start a voice call')");
        Assert.Equal(0, await page.Locator("[data-testid=voice-not-configured]").CountAsync());
        await PageChecks.AssertAccessibleAsync(page, "try the agent with a voice model");
        await PageChecks.ScreenshotAsync(page, $"try-the-agent-voice-{width}x{height}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_voice_call_socket_refuses_plain_requests_foreign_origins_unknown_leads_and_viewers_before_the_upgrade()
    {
        var campaign = await _data.CampaignAsync("Voice refusals " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Rita Refused", "+14155550664");
        var operatorCookies = await CookiesAsync("operator");
        var viewerCookies = await CookiesAsync("viewer");
        var origin = voice.BaseUrl.GetLeftPart(UriPartial.Authority);

        using (var http = new HttpClient { BaseAddress = voice.BaseUrl })
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"calls/browser?leadId={lead.Id}"))
        {
            request.Headers.Add("Cookie", operatorCookies);
            using var plain = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, plain.StatusCode);
            Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await UpgradeAsync(operatorCookies, "http://evil.example", lead.Id));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, await UpgradeAsync(operatorCookies, origin, Guid.NewGuid()));
        Assert.NotEqual(System.Net.HttpStatusCode.SwitchingProtocols, await UpgradeAsync(viewerCookies, origin, lead.Id));
        var calls = voice.Services.GetRequiredService<CallStore>();
        Assert.Empty((await calls.ListAsync(new CallQuery { LeadId = lead.Id }, CancellationToken.None)).Items); // nothing half-made
    }

    private async Task<string> CookiesAsync(string role)
    {
        var page = await voice.SignedInPageAsync(role);
        var cookies = await page.Context.CookiesAsync();
        await page.Context.CloseAsync();
        return string.Join("; ", cookies.Select(cookie => $"{cookie.Name}={cookie.Value}"));
    }

    private async Task<System.Net.HttpStatusCode> UpgradeAsync(string cookies, string origin, Guid leadId)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookies);
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        var url = new UriBuilder(new Uri(voice.BaseUrl, $"calls/browser?leadId={leadId}")) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // Refused before the upgrade: the status code says how.
        }

        return socket.HttpStatusCode;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(200);
        }
    }
}
