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
            throw new TimeoutException($"No caller turn: the model got {voice.Gemini.AudioMessages} audio messages, {voice.Gemini.Interruptions} interruptions.", exception);
        }

        await section.Locator("li.agent:has-text('what budget do you have in mind')").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        // The agent was heard in the page: Web Audio played its samples, and they were not silence.
        var played = section.Locator("[data-testid=voice-played]");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=voice-played]')?.dataset.samples) > 24000");
        Assert.True(double.Parse(await played.GetAttributeAsync("data-peak") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0.01, "the played agent audio had no level");
        Assert.True(voice.Gemini.AudioMessages > 100, "the microphone's audio reached the voice model");
        await PageChecks.AssertAccessibleAsync(page, "voice test call");
        await PageChecks.ScreenshotAsync(page, "try-the-agent-voice-call-1280x800");

        await section.Locator("button:has-text('Hang up')").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=voice-call][data-state=ended]");
        var calls = voice.Services.GetRequiredService<CallStore>();
        var call = (await calls.ListAsync(new CallQuery { LeadId = lead.Id }, CancellationToken.None)).Items.Single();
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
