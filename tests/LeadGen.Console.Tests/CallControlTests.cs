using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LeadGen.Console.Tests;

/// <summary>
/// Operators hang up or transfer a phone call from the Live calls page: the console (one process) sends the command,
/// the VoiceApi (another) holds the call's media stream and carries it out through Twilio's REST API (the fake one),
/// and the simulated phone line sees its stream end.
/// </summary>
[Collection(VoiceCollection.Name)]
public sealed class CallControlTests(VoiceFixture voice)
{
    private const string TransferNumber = "+15550109999";

    [Fact]
    public async Task An_operator_hangs_up_a_phone_call_from_the_live_calls_page()
    {
        var (call, options) = await PhoneCallAsync("Hang-up", "+14155550601");
        using var http = new HttpClient();
        var line = SimulatedCall.RunAsync(options, http, CancellationToken.None);
        var page = await voice.SignedInPageAsync("operator");
        await ConsoleFixture.OpenAsync(page, "live");
        await SelectCallAsync(page, call.Id);

        await page.ClickAsync("button:has-text('Hang up…')");
        await page.ClickAsync("button:has-text('Hang up now')");

        await page.WaitForSelectorAsync("[data-testid=call-control-message]:has-text('Hanging up the call')");
        var result = await line.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.EndedByServer, "the VoiceApi ended the call's stream");
        Assert.Contains(voice.Twilio.CallUpdates, update => update.CallSid == options.CallSid && update.Form.GetValueOrDefault("Status") == "completed");
        await page.Locator($"tr[data-call='{call.Id}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await PageChecks.AssertAccessibleAsync(page, "live calls after a hang-up");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_transfers_a_phone_call_to_the_campaigns_transfer_number_and_a_viewer_gets_no_controls()
    {
        var (call, options) = await PhoneCallAsync("Transfer", "+14155550602");
        using var http = new HttpClient();
        var line = SimulatedCall.RunAsync(options, http, CancellationToken.None);
        var viewer = await voice.SignedInPageAsync("viewer");
        await ConsoleFixture.OpenAsync(viewer, "live");
        await SelectCallAsync(viewer, call.Id);
        Assert.Equal(0, await viewer.Locator("[data-testid=call-controls]").CountAsync());
        await viewer.Context.CloseAsync();

        foreach (var (width, height) in new[] { (390, 844), (1280, 800) })
        {
            var page = await voice.SignedInPageAsync("operator", width, height);
            await ConsoleFixture.OpenAsync(page, "live");
            await SelectCallAsync(page, call.Id);
            await page.ClickAsync("button:has-text('Transfer to a human…')");
            await page.WaitForSelectorAsync("text=Transfer this call to a person now");
            await PageChecks.AssertAccessibleAsync(page, "live call controls");
            await PageChecks.ScreenshotAsync(page, $"live-calls-transfer-{width}x{height}");
            if (width == 1280)
            {
                await page.ClickAsync("button:has-text('Transfer now')");
                await page.WaitForSelectorAsync($"[data-testid=call-control-message]:has-text('Transferring the call to {TransferNumber}')");
            }

            await page.Context.CloseAsync();
        }

        var result = await line.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.EndedByServer, "the VoiceApi handed the call over and closed its stream");
        var redirect = Assert.Single(voice.Twilio.CallUpdates, update => update.CallSid == options.CallSid);
        Assert.Contains($"<Dial>{TransferNumber}</Dial>", redirect.Form["Twiml"], StringComparison.Ordinal);
    }

    /// <summary>An outbound Twilio call to a new lead, as the dialer leaves it, and its phone line (the lead listens, silent).</summary>
    private async Task<(Call Call, SimulatedCallOptions Line)> PhoneCallAsync(string name, string phone)
    {
        var campaign = await voice.Services.GetRequiredService<CampaignStore>().CreateAsync(
            name + " " + Guid.NewGuid().ToString("N")[..6], new CampaignSettings { ConsentRequired = false, TransferNumber = TransferNumber }, CancellationToken.None);
        var lead = (await voice.Services.GetRequiredService<LeadStore>().CreateAsync(campaign.Id, new NewLead { Name = name + " Lead", Phone = phone }, CancellationToken.None))!;
        var callSid = SimulatedCallLegOptions.NewSid("CA");
        var call = await voice.Services.GetRequiredService<CallStore>().CreateAsync(new NewCall
        {
            LeadId = lead.Id,
            CampaignId = campaign.Id,
            Direction = CallDirections.Outbound,
            Provider = "twilio",
            ProviderCallId = callSid,
            ToNumber = phone,
            FromNumber = "+15550100001",
            Status = CallStatuses.Initiated,
        }, CancellationToken.None);
        return (call, new SimulatedCallOptions
        {
            VoiceUrl = new Uri(voice.VoiceApiUrl, $"telephony/twilio/voice?callId={call.Id}"),
            StatusCallbackUrl = new Uri(voice.VoiceApiUrl, $"telephony/twilio/status?callId={call.Id}"),
            AuthToken = VoiceFixture.AuthToken,
            AccountSid = VoiceFixture.AccountSid,
            CallSid = callSid,
            To = phone,
            Script = [new CallerStep.WaitForAgent(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(700)), new CallerStep.Pause(TimeSpan.FromSeconds(90))],
            MaxDuration = TimeSpan.FromMinutes(2),
        });
    }

    /// <summary>Waits for the call in the live list, selects it and waits for the agent's opening in its transcript.</summary>
    private static async Task SelectCallAsync(IPage page, Guid callId)
    {
        var row = page.Locator($"tr[data-call='{callId}']");
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await row.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync($"tr[data-call='{callId}'].selected");
        await page.WaitForSelectorAsync("ol.transcript li.agent:has-text('This call may be recorded')", new PageWaitForSelectorOptions { Timeout = 60_000 });
    }
}
