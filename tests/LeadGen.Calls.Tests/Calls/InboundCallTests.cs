using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Calls to our number: Twilio's voice and status webhooks carry no call id of ours (Direction=inbound, From = the
/// caller, To = the number dialled), so the server creates the call, matches the caller to a lead by phone and runs the
/// conversation over the media stream like any other call.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class InboundCallTests(SharedServers servers)
{
    private const string OurNumber = "+15550100001";

    [Fact]
    public async Task A_lead_calling_back_gets_a_full_conversation_linked_to_their_lead_and_campaign()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            OpeningReply = "Hi Dana, this is Ava, an AI assistant. This call may be recorded.",
            Turns =
            [
                new("My budget is eight thousand.", "Thanks for calling back, a specialist will follow up. Goodbye!",
                    ToolBeforeReply: new FakeToolCall("record_lead_details", new JsonObject { ["budget"] = 8000, ["currency"] = "USD" }),
                    ToolAfterReply: new FakeToolCall("end_call", new JsonObject { ["outcome"] = "qualified" })),
            ],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var campaign = await host.Campaigns.CreateAsync("Solar callback line", VoiceApiHost.DefaultCampaign with { CallerId = OurNumber }, CancellationToken.None);
        // The same person is also a lead of an older campaign with another number: the dialled number decides.
        var other = await host.Campaigns.CreateAsync("Old campaign", VoiceApiHost.DefaultCampaign with { CallerId = "+15550100999" }, CancellationToken.None);
        await host.Leads.CreateAsync(other.Id, new NewLead { Name = "Dana Smith", Phone = "+15550100321" }, CancellationToken.None);
        var lead = (await host.Leads.CreateAsync(campaign.Id, new NewLead { Name = "Dana Smith", Phone = "+15550100321" }, CancellationToken.None))!;

        var result = await RunInboundCallAsync(host, from: lead.Phone!,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(600)),
            new CallerStep.Say(CallerSpeech.Say("My budget is eight thousand dollars.")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(600)),
            new CallerStep.Pause(TimeSpan.FromSeconds(20)), // the agent hangs up after its goodbye
        ]);

        Assert.Equal(200, result.VoiceStatusCode);
        Assert.Contains("<Connect>", result.TwiML, StringComparison.Ordinal);
        Assert.True(result.EndedByServer, "the agent should have ended the call after its goodbye");
        Assert.Equal(204, result.StatusCallbackCode);

        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM calls"));
        var call = (await host.Calls.GetByProviderCallIdAsync("simulator", result.CallSid, CancellationToken.None))!;
        Assert.Equal(CallDirections.Inbound, call.Direction);
        Assert.Equal(result.CallSid, call.ProviderCallId);
        Assert.Equal("simulator", call.Provider);
        Assert.Equal(lead.Id, call.LeadId);
        Assert.Equal(campaign.Id, call.CampaignId);
        Assert.Equal(lead.Phone, call.FromNumber);
        Assert.Equal(OurNumber, call.ToNumber);
        Assert.Equal(CallStatuses.Completed, call.Status);
        Assert.Equal(CallDispositions.Qualified, call.Disposition);
        Assert.Equal(8000m, call.Extracted["budget"]!.GetValue<decimal>());

        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None),
            t => t.Any(x => x.Speaker == CallSpeakers.Agent && x.Text.Contains("Goodbye", StringComparison.Ordinal))
                && t.Any(x => x.Speaker == CallSpeakers.Tool && x.Text.Contains("end_call", StringComparison.Ordinal)));
        Assert.Equal(transcript.OrderBy(t => t.Seq).Select(t => t.Seq), transcript.Select(t => t.Seq));
        Assert.StartsWith("Hi Dana, this is Ava, an AI assistant", transcript[0].Text, StringComparison.Ordinal);
        Assert.Equal(CallSpeakers.Agent, transcript[0].Speaker);
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Caller && t.Text.Contains("eight thousand", StringComparison.Ordinal));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.StartsWith("Thanks for calling back", StringComparison.Ordinal));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Tool && t.Text.Contains("end_call", StringComparison.Ordinal));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Tool && t.Text.Contains("record_lead_details", StringComparison.Ordinal));

        // The model was told who is calling (the lead's prompt context) and the lead got the answers.
        Assert.Contains("Dana Smith", Assert.Single(gemini.Setups)["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var storedLead = await host.Leads.GetAsync(lead.Id, CancellationToken.None);
        Assert.Equal(8000m, storedLead!.Qualification["budget"]!.GetValue<decimal>());
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id", ("id", call.Id.ToString())));
    }

    [Theory]
    [InlineData(OurNumber, true)]
    [InlineData("+15550100777", false)] // a number no campaign uses
    public async Task An_unknown_caller_is_answered_without_a_lead_and_nothing_is_recorded_against_anyone(string dialled, bool campaignKnown)
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            Turns =
            [
                new("Hi, who is this?", "This is an AI assistant for Acme Solar. How can I help?",
                    ToolBeforeReply: new FakeToolCall("record_lead_details", new JsonObject { ["budget"] = 5000 })),
            ],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var campaign = await host.Campaigns.CreateAsync("Solar callback line", VoiceApiHost.DefaultCampaign with { CallerId = OurNumber }, CancellationToken.None);
        var someoneElse = (await host.Leads.CreateAsync(campaign.Id, new NewLead { Name = "Dana Smith", Phone = "+15550100321" }, CancellationToken.None))!;

        // The reply follows a tool call: a loaded machine can pause the agent's audio mid-reply, so the caller waits
        // for 1.5 s of silence (not 0.6 s) before taking the reply as finished and hanging up.
        var result = await RunInboundCallAsync(host, from: "+15550100888",
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(600)),
            new CallerStep.Say(CallerSpeech.Say("Hi, who is this?")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(1500)),
        ], to: dialled);

        Assert.Equal(200, result.VoiceStatusCode);
        Assert.True(result.StreamOpened);
        Assert.False(result.EndedByServer);
        var call = (await host.Calls.GetByProviderCallIdAsync("simulator", result.CallSid, CancellationToken.None))!;
        Assert.Equal(CallDirections.Inbound, call.Direction);
        Assert.Null(call.LeadId);
        Assert.Equal(campaignKnown ? campaign.Id : null, call.CampaignId);
        Assert.Equal("+15550100888", call.FromNumber);
        Assert.Equal(CallStatuses.Completed, call.Status);
        Assert.Empty(call.Extracted);

        // The agent still talks; its data tools refuse politely (no lead to record against) and the call carries on.
        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Any(x => x.Text.Contains("How can I help", StringComparison.Ordinal)));
        Assert.Equal(CallSpeakers.Agent, transcript[0].Speaker);
        Assert.Contains("AI", transcript[0].Text, StringComparison.Ordinal);
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Tool && t.Text.Contains("not a known lead", StringComparison.Ordinal));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("How can I help", StringComparison.Ordinal));
        Assert.Empty((await host.Leads.GetAsync(someoneElse.Id, CancellationToken.None))!.Qualification);
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id", ("id", call.Id.ToString())));
    }

    [Fact]
    public async Task Concurrent_first_webhooks_of_one_inbound_call_create_it_once()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var lifecycle = host.Services.GetRequiredService<CallLifecycle>();
        var callSid = SimulatedCallLegOptions.NewSid("CA");

        // Twilio's voice webhook and its ringing status callback for a new inbound call can race each other.
        var resolved = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            lifecycle.ResolveAsync(null, "simulator", callSid, "+15550100888", OurNumber, "inbound", CancellationToken.None))));

        var id = Assert.Single(resolved.Select(call => call!.Id).Distinct());
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM calls WHERE id = @id", ("id", id)));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM calls"));
    }

    private static async Task<SimulatedCallResult> RunInboundCallAsync(VoiceApiHost host, string from, IReadOnlyList<CallerStep> script, string to = OurNumber)
    {
        using var http = new HttpClient();
        return await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            // What a Twilio number's voice URL and status callback look like: no call id of ours.
            VoiceUrl = new Uri(host.BaseUrl, "telephony/twilio/voice"),
            StatusCallbackUrl = new Uri(host.BaseUrl, "telephony/twilio/status"),
            AuthToken = VoiceApiHost.AuthToken,
            Direction = "inbound",
            From = from,
            To = to,
            Script = script,
        }, http, CancellationToken.None);
    }
}
