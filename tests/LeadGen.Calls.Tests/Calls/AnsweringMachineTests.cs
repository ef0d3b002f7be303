using System.Net;
using System.Xml.Linq;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using LeadGen.Testing.Twilio;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Twilio's asynchronous answering-machine detection, end to end: a simulated call is live (TwiML, media stream, the
/// fake model speaking) when the signed AMD callback arrives, and the server acts on the call through its telephony
/// provider (the simulator provider records the hang-up/redirect and ends the stream as Twilio would).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class AnsweringMachineTests(SharedServers servers)
{
    private const string VoicemailMessage = "Hi Dana, this is Ava from Acme Solar about your solar quote. Please call us back at 555 0100. Thank you.";

    private static readonly CampaignSettings LeaveMessage = VoiceApiHost.DefaultCampaign with
    {
        VoicemailAction = VoicemailActions.LeaveMessage,
        VoicemailMessage = VoicemailMessage,
    };

    /// <summary>The machine's recording "listens" this long at most; the provider's hang-up/redirect ends the call long before.</summary>
    private static readonly CallerStep UntilTheProviderEndsTheCall = new CallerStep.Pause(TimeSpan.FromSeconds(20));

    private static readonly CampaignSettings HangUp = VoiceApiHost.DefaultCampaign with { VoicemailAction = VoicemailActions.HangUp };

    [Fact]
    public async Task A_beep_on_a_leave_message_campaign_redirects_the_live_call_to_the_voicemail_message_then_hangs_up()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);

        var result = await RunCallAsync(host, call, lead, [new CallerStep.Pause(TimeSpan.FromSeconds(1)), new CallerStep.AnsweringMachineResult("machine_end_beep"), UntilTheProviderEndsTheCall]);

        Assert.Equal([204], result.AmdCallbackCodes);
        Assert.True(result.EndedByProvider, "the redirect must end the media stream");
        Assert.True(result.Duration < TimeSpan.FromSeconds(20), $"the call went on after the redirect: {result.Duration}");
        var command = Assert.Single(host.Simulator.Commands, c => c.CallSid == result.CallSid);
        Assert.Equal(SimulatorCommand.Redirect, command.Kind);
        var twiml = XDocument.Parse(command.TwiML!).Root!;
        Assert.Equal("Response", twiml.Name.LocalName);
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(VoicemailMessage, twiml.Element("Say")!.Value);

        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal("machine", stored!.AnsweredBy);
        Assert.Equal(CallDispositions.Voicemail, stored.Disposition);
        Assert.Equal(CallStatuses.Completed, stored.Status);
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id", ("id", call.Id.ToString())));
    }

    [Theory]
    [InlineData(VoicemailActions.HangUp, "machine_end_beep", CallDispositions.Voicemail)]
    [InlineData(VoicemailActions.HangUp, "machine_end_silence", CallDispositions.Voicemail)]
    [InlineData(VoicemailActions.HangUp, "machine_start", CallDispositions.Voicemail)]
    [InlineData(VoicemailActions.LeaveMessage, "fax", CallDispositions.Fax)]
    public async Task A_machine_the_campaign_leaves_no_message_for_is_hung_up_on(string voicemailAction, string answeredBy, string disposition)
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: voicemailAction == VoicemailActions.LeaveMessage ? LeaveMessage : HangUp);

        var result = await RunCallAsync(host, call, lead, [new CallerStep.Pause(TimeSpan.FromSeconds(1)), new CallerStep.AnsweringMachineResult(answeredBy), UntilTheProviderEndsTheCall]);

        Assert.Equal([204], result.AmdCallbackCodes);
        Assert.True(result.EndedByProvider, "the hang-up must end the media stream");
        var command = Assert.Single(host.Simulator.Commands, c => c.CallSid == result.CallSid);
        Assert.Equal(SimulatorCommand.HangUp, command.Kind);
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal("machine", stored!.AnsweredBy);
        Assert.Equal(disposition, stored.Disposition);
        Assert.Equal(CallStatuses.Completed, stored.Status);
    }

    [Fact]
    public async Task Machine_start_on_a_leave_message_campaign_waits_for_the_beep_before_leaving_the_message()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);

        var result = await RunCallAsync(host, call, lead,
        [
            new CallerStep.Pause(TimeSpan.FromSeconds(1)),
            new CallerStep.AnsweringMachineResult(AnsweringMachineDetection.MachineStart),
            new CallerStep.Pause(TimeSpan.FromSeconds(1)), // the greeting plays on; the stream must still be up
            new CallerStep.AnsweringMachineResult(AnsweringMachineDetection.MachineEndBeep),
            UntilTheProviderEndsTheCall,
        ]);

        Assert.Equal([204, 204], result.AmdCallbackCodes); // the second callback was only sent because the call was still live
        Assert.True(result.EndedByProvider);
        var command = Assert.Single(host.Simulator.Commands, c => c.CallSid == result.CallSid);
        Assert.Equal(SimulatorCommand.Redirect, command.Kind);
        Assert.Contains(VoicemailMessage, command.TwiML, StringComparison.Ordinal);
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal("machine", stored!.AnsweredBy);
        Assert.Equal(CallDispositions.Voicemail, stored.Disposition);
    }

    [Theory]
    [InlineData("human")] // "unknown" decides the same (AnsweringMachineDecisionTests): one real-time call is enough
    public async Task A_person_keeps_talking_to_the_agent_and_nothing_is_done_to_the_call(string answeredBy)
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            Turns = [new("Hello there.", "Hello, how can I help?")],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);

        var result = await RunCallAsync(host, call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500)),
            new CallerStep.AnsweringMachineResult(answeredBy),
            new CallerStep.Say(CallerSpeech.Say("Hello there.")),
            // A second of quiet before hanging up, as in FullCallTests: on a loaded machine a relay stall of half a
            // second mid-reply was taken for the reply's end, and the caller hung up on it (seen at load average 20).
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
        ]);

        Assert.Equal([204], result.AmdCallbackCodes);
        Assert.False(result.EndedByProvider);
        Assert.False(result.EndedByServer);
        Assert.DoesNotContain(host.Simulator.Commands, c => c.CallSid == result.CallSid);
        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Any(x => x.Text.Contains("how can I help", StringComparison.Ordinal)));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("how can I help", StringComparison.Ordinal));
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal(answeredBy, stored!.AnsweredBy);
        Assert.Null(stored.Disposition);
        Assert.Equal(CallStatuses.Completed, stored.Status);
    }

    [Fact]
    public async Task A_repeated_machine_result_acts_on_the_call_only_once()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var (_, _, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);
        using var http = new HttpClient();
        var callSid = "CA" + new string('5', 32);

        using var first = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), AmdForm(callSid, "machine_end_beep"));
        using var retried = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), AmdForm(callSid, "machine_end_beep"));
        using var other = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), AmdForm(callSid, "machine_end_silence"));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        var command = Assert.Single(host.Simulator.Commands, c => c.CallSid == callSid); // one voicemail, not three
        Assert.Equal(SimulatorCommand.Redirect, command.Kind);
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal("machine", stored!.AnsweredBy);
        Assert.Equal(CallDispositions.Voicemail, stored.Disposition);
    }

    [Fact]
    public async Task A_forged_AMD_callback_gets_403_and_changes_nothing()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var (_, _, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);
        using var http = new HttpClient();
        var form = AmdForm("CA" + new string('1', 32), "machine_end_beep");

        using var forged = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), form, signatureOverride: Convert.ToBase64String(new byte[20]));
        using var wrongKey = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), form, authToken: "somebody-elses-token");
        using var otherUrl = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), form, signatureOverride: Sign(host.AmdUrl(Guid.NewGuid()), form));
        using var unsigned = await http.PostAsync(host.AmdUrl(call.Id), new FormUrlEncodedContent(form));

        foreach (var response in new[] { forged, wrongKey, otherUrl, unsigned })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Null(stored!.AnsweredBy);
        Assert.Null(stored.Disposition);
        Assert.Null(stored.ProviderCallId);
        Assert.Equal(CallStatuses.Initiated, stored.Status);
        Assert.Empty(host.Simulator.Commands);
    }

    [Fact]
    public async Task An_AMD_callback_for_an_unknown_call_or_with_a_bad_result_gets_a_clear_problem_and_writes_nothing()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var (_, _, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);
        using var http = new HttpClient();
        var byCallSidOnly = new Uri(host.BaseUrl, "telephony/twilio/amd");

        using var unknownCallSid = await VoiceApiHost.PostSignedAsync(http, byCallSidOnly, AmdForm("CA" + new string('2', 32), "machine_end_beep"));
        using var unknownCallId = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(Guid.NewGuid()), AmdForm("CA" + new string('3', 32), "machine_end_beep"));
        using var badResult = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), AmdForm("CA" + new string('4', 32), "robot"));
        using var noResult = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(call.Id), [new("CallSid", "CA" + new string('4', 32))]);

        Assert.Equal(HttpStatusCode.NotFound, unknownCallSid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCallId.StatusCode);
        Assert.Contains("Unknown call", await unknownCallSid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badResult.StatusCode);
        Assert.Contains("machine_end_beep", await badResult.Content.ReadAsStringAsync(), StringComparison.Ordinal); // lists the valid values
        Assert.Equal(HttpStatusCode.BadRequest, noResult.StatusCode);
        foreach (var response in new[] { unknownCallSid, unknownCallId, badResult, noResult })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM calls"));
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Null(stored!.AnsweredBy);
        Assert.Null(stored.Disposition);
        Assert.Null(stored.ProviderCallId);
        Assert.Empty(host.Simulator.Commands);
        using var health = await http.GetAsync(new Uri(host.BaseUrl, "alive"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("machine_end_beep")]
    [InlineData("human")]
    public async Task Calls_the_simulator_provider_places_report_the_configured_AMD_result(string answeredBy)
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint, new Dictionary<string, string?>
        {
            ["Telephony:Simulator:AnsweredBy"] = answeredBy,
        });
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: LeaveMessage);

        // What the dialer's place-call job does with Telephony:Provider=simulator.
        var placed = await host.Simulator.PlaceCallAsync(
            new PlaceCallRequest(call.Id, lead.Phone!, "+15550100001", host.VoiceUrl(call.Id), host.StatusUrl(call.Id), DetectAnsweringMachine: true),
            CancellationToken.None);
        var result = await host.Simulator.Calls[placed.ProviderCallId].WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([204], result.AmdCallbackCodes);
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal(CallStatuses.Completed, stored!.Status);
        if (answeredBy == "human")
        {
            Assert.False(result.EndedByProvider);
            Assert.Equal("human", stored.AnsweredBy);
            Assert.Null(stored.Disposition);
            Assert.DoesNotContain(host.Simulator.Commands, c => c.CallSid == placed.ProviderCallId);
        }
        else
        {
            Assert.True(result.EndedByProvider);
            Assert.Equal("machine", stored.AnsweredBy);
            Assert.Equal(CallDispositions.Voicemail, stored.Disposition);
            Assert.Equal(SimulatorCommand.Redirect, Assert.Single(host.Simulator.Commands, c => c.CallSid == placed.ProviderCallId).Kind);
        }
    }

    [Fact]
    public async Task With_the_Twilio_provider_the_AMD_webhook_redirects_or_hangs_up_through_the_REST_Calls_API()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(VoiceApiHost.AccountSid, VoiceApiHost.AuthToken);
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null, new Dictionary<string, string?>
        {
            ["Telephony:Provider"] = "twilio",
            ["Twilio:ApiBaseUrl"] = twilio.BaseUrl.ToString(),
        });
        var (_, _, messageCall) = await host.CreateOutboundCallAsync("+15550100011", LeaveMessage);
        var (_, _, hangUpCall) = await host.CreateOutboundCallAsync("+15550100012", HangUp);
        var (_, _, endedCall) = await host.CreateOutboundCallAsync("+15550100013", LeaveMessage);
        var endedSid = "CA" + new string('e', 32);
        twilio.EndedCalls[endedSid] = true;
        using var http = new HttpClient();

        using var beep = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(messageCall.Id), AmdForm("CA" + new string('a', 32), "machine_end_beep"));
        using var silence = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(hangUpCall.Id), AmdForm("CA" + new string('b', 32), "machine_end_silence"));
        using var refused = await VoiceApiHost.PostSignedAsync(http, host.AmdUrl(endedCall.Id), AmdForm(endedSid, "machine_end_beep"));

        Assert.Equal(HttpStatusCode.NoContent, beep.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, silence.StatusCode);
        var updates = twilio.CallUpdates.ToList();
        Assert.Equal(3, updates.Count);
        var redirect = Assert.Single(updates, u => u.CallSid == "CA" + new string('a', 32));
        var twiml = XDocument.Parse(Assert.Single(redirect.Form, f => f.Key == "Twiml").Value).Root!;
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(VoicemailMessage, twiml.Element("Say")!.Value);
        var hangUp = Assert.Single(updates, u => u.CallSid == "CA" + new string('b', 32));
        Assert.Equal("completed", Assert.Single(hangUp.Form).Value);
        Assert.Equal("Status", Assert.Single(hangUp.Form).Key);
        foreach (var (call, disposition) in new[] { (messageCall, CallDispositions.Voicemail), (hangUpCall, CallDispositions.Voicemail) })
        {
            var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
            Assert.Equal("machine", stored!.AnsweredBy);
            Assert.Equal(disposition, stored.Disposition);
        }

        // Twilio refused (the call had ended): a clear 502, but what AMD found is kept.
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(VoiceApiHost.AuthToken, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var ended = await host.Calls.GetAsync(endedCall.Id, CancellationToken.None);
        Assert.Equal("machine", ended!.AnsweredBy);
        Assert.Equal(CallDispositions.Voicemail, ended.Disposition);
    }

    /// <summary>Runs a simulated call whose hang-up/redirect through the provider ends its stream, as on Twilio.</summary>
    private static async Task<SimulatedCallResult> RunCallAsync(VoiceApiHost host, Call call, Lead lead, IReadOnlyList<CallerStep> script)
    {
        using var control = new SimulatedCallControl();
        var options = host.CallTo(call, lead, script, control);
        host.Simulator.Attach(options.CallSid, control);
        using var http = new HttpClient();
        return await SimulatedCall.RunAsync(options, http, CancellationToken.None);
    }

    private static List<KeyValuePair<string, string>> AmdForm(string callSid, string answeredBy) =>
    [
        new("AccountSid", "AC" + new string('0', 32)),
        new("AnsweredBy", answeredBy),
        new("CallSid", callSid),
        new("MachineDetectionDuration", "2850"),
    ];

    private static string Sign(Uri url, List<KeyValuePair<string, string>> form) => TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString(), form);
}
