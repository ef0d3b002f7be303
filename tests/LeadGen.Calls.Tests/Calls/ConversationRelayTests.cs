using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Xml.Linq;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Simulator;
using LeadGen.Testing;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// The conversation_relay voice mode end to end: the real VoiceApi on Kestrel (offline text agent, real Postgres and
/// Redis) and the simulator playing Twilio's ConversationRelay side over a real WebSocket with the documented messages
/// (setup, prompt, interrupt, dtmf in; text tokens and end out), the signed upgrade, the &lt;Connect action&gt; webhook
/// and the status callback.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class ConversationRelayTests(SharedServers servers)
{
    /// <summary>The relay's pacing made fast: "speech" plays at 6,000 words a minute; silence is 3 s (shorter risks "still there?" on a loaded machine).</summary>
    private static readonly Dictionary<string, string?> FastRelay = new()
    {
        ["Telephony:ConversationRelay:WordsPerMinute"] = "6000",
        ["Telephony:ConversationRelay:SilenceTimeout"] = "00:00:03",
    };

    private static readonly CampaignSettings RelayCampaign = VoiceApiHost.DefaultCampaign with
    {
        VoiceMode = VoiceModes.ConversationRelay,
        Voice = "en-US-Journey-O",
        QualificationQuestions =
        [
            new QualificationQuestion("budget", "What budget do you have in mind?"),
            new QualificationQuestion("timeline", "When would you like the panels installed?"),
        ],
    };

    [Fact]
    public async Task A_qualifying_call_streams_text_tokens_stores_the_transcript_and_ends_through_the_action_url()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);

        var result = await RunAsync(host, call, lead, new ScriptedRelayCaller(
            new RelayCallerAction.Say("Our budget is about $50,000."),
            new RelayCallerAction.Say("We'd like them installed next month.")));

        var twiml = XDocument.Parse(result.TwiML!).Root!;
        var relay = twiml.Element("Connect")!.Element("ConversationRelay")!;
        Assert.Equal(new Uri(host.BaseUrl, ConversationRelayWebhooks.ActionPath.TrimStart('/') + $"?callId={call.Id}").ToString(), twiml.Element("Connect")!.Attribute("action")!.Value);
        Assert.StartsWith("ws://", relay.Attribute("url")!.Value, StringComparison.Ordinal);
        Assert.Contains("an AI assistant calling on behalf of Acme Solar", relay.Attribute("welcomeGreeting")!.Value, StringComparison.Ordinal);
        Assert.EndsWith("What budget do you have in mind?", relay.Attribute("welcomeGreeting")!.Value, StringComparison.Ordinal);
        Assert.Equal("en-US", relay.Attribute("language")!.Value);
        Assert.Equal("en-US-Journey-O", relay.Attribute("voice")!.Value);
        Assert.Equal("ElevenLabs", relay.Attribute("ttsProvider")!.Value);
        Assert.Equal("Deepgram", relay.Attribute("transcriptionProvider")!.Value);
        Assert.Equal("true", relay.Attribute("dtmfDetection")!.Value);

        Assert.True(result.SocketOpened);
        Assert.Equal(3, result.AgentReplies.Count); // greeting, the timeline question, the closing line
        Assert.Equal("Thank you. When would you like the panels installed?", result.AgentReplies[1]);
        Assert.Contains("A specialist from Acme Solar will follow up", result.AgentReplies[2], StringComparison.Ordinal);
        Assert.Equal("end", result.ServerMessages[^1]);
        Assert.Equal("call-ended", Handoff(result)["reasonCode"]);
        Assert.Equal(200, result.ActionStatusCode);
        Assert.NotNull(XDocument.Parse(result.ActionTwiML!).Root!.Element("Hangup"));
        Assert.Equal(204, result.StatusCallbackCode);

        var stored = await Eventually.WaitForAsync(() => host.Calls.GetAsync(call.Id, CancellationToken.None), c => c?.Status == CallStatuses.Completed);
        Assert.Equal(result.CallSid, stored!.ProviderCallId);
        Assert.Equal("qualified", stored.Disposition);
        Assert.Equal(LeadStatuses.Qualified, (await host.Leads.GetAsync(lead.Id, CancellationToken.None))!.Status);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id", ("id", call.Id.ToString())));

        var transcript = await Eventually.WaitForAsync(() => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Count >= 7);
        var spoken = transcript.Where(turn => turn.Speaker is CallSpeakers.Agent or CallSpeakers.Caller).OrderBy(turn => turn.Seq).ToList();
        Assert.Equal([CallSpeakers.Agent, CallSpeakers.Caller, CallSpeakers.Agent, CallSpeakers.Caller, CallSpeakers.Agent], spoken.Select(turn => turn.Speaker));
        Assert.Equal(result.AgentReplies[0], spoken[0].Text);
        Assert.Equal("Our budget is about $50,000.", spoken[1].Text);
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.Tool && turn.Text.StartsWith("record_lead_details", StringComparison.Ordinal));
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.Tool && turn.Text.StartsWith("end_call", StringComparison.Ordinal));
        Assert.DoesNotContain(transcript, turn => turn.Interrupted);
    }

    [Fact]
    public async Task The_conversation_joins_the_trace_that_placed_the_call()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("LeadGen.", StringComparison.Ordinal) || source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var dialer = new ActivitySource("LeadGen.Tests.Dialer");
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);

        ActivityTraceId traceId;
        using (var job = dialer.StartActivity("process place-call", ActivityKind.Consumer))
        {
            // Twilio does not forward trace headers on the socket: the webhook's context reaches it through the TwiML.
            traceId = job!.TraceId;
            await RunAsync(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Say("Our budget is about $50,000."), new RelayCallerAction.HangUp()));
        }

        var relay = await Eventually.WaitForAsync(
            () => Task.FromResult(stopped.FirstOrDefault(activity => activity.OperationName == "conversation_relay call" && Equals(activity.GetTagItem("leadgen.call.id"), call.Id.ToString()))),
            activity => activity is not null);
        Assert.NotNull(relay);
        Assert.Equal(traceId, relay.TraceId);
        Assert.Contains(stopped, activity => activity.OperationName == "agent turn" && activity.TraceId == traceId);
        Assert.Contains(stopped, activity => activity.Source.Name == "Microsoft.AspNetCore" && activity.TraceId == traceId && activity.ParentSpanId != default);
        // The status callback enqueued the analysis job with the same trace context (the Worker's span joins it).
        await using var command = host.DataSource.CreateCommand("SELECT trace_parent FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id");
        command.Parameters.AddWithValue("id", call.Id.ToString());
        Assert.Contains(traceId.ToHexString(), (string?)await command.ExecuteScalarAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_barge_in_keeps_only_what_the_lead_heard_of_the_agents_turn()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);

        var result = await RunAsync(host, call, lead, new ScriptedRelayCaller(
            new RelayCallerAction.InterruptNext(5, "Sorry, our budget is ten thousand dollars."),
            new RelayCallerAction.HangUp()));

        Assert.Equal(1, result.Interrupts);
        var transcript = await Eventually.WaitForAsync(() => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Count(turn => turn.Speaker == CallSpeakers.Agent) >= 2);
        var greeting = transcript.Single(turn => turn.Seq == 0);
        Assert.True(greeting.Interrupted);
        Assert.Equal(string.Join(' ', result.AgentReplies[0].Split(' ').Take(5)) + " —", greeting.Text);
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.Caller && turn.Text == "Sorry, our budget is ten thousand dollars.");
    }

    [Fact]
    public async Task Pressing_9_opts_out_confirms_and_ends_the_session()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);

        var result = await RunAsync(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Press("9")));

        Assert.Contains("won't call you again", result.AgentReplies[^1], StringComparison.Ordinal);
        Assert.Equal("call-ended", Handoff(result)["reasonCode"]);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM do_not_call WHERE phone = @phone", ("phone", lead.Phone!)));
        Assert.Equal(LeadStatuses.DoNotCall, (await host.Leads.GetAsync(lead.Id, CancellationToken.None))!.Status);
        var transcript = await Eventually.WaitForAsync(() => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Any(turn => turn.Speaker == CallSpeakers.System));
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.System && turn.Text.Contains("pressed 9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Asking_for_a_person_ends_with_a_handoff_and_the_action_url_dials_the_transfer_number()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign with { TransferNumber = "+15550107777" });

        var result = await RunAsync(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Say("Can I talk to a real person please?")));

        Assert.Equal(ConversationRelayWebhooks.HumanHandoff, Handoff(result)["reasonCode"]);
        Assert.Equal("+15550107777", XDocument.Parse(result.ActionTwiML!).Root!.Element("Dial")!.Value);
    }

    [Fact]
    public async Task A_voicemail_result_redirects_the_call_and_ends_the_session()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign with
        {
            VoicemailAction = VoicemailActions.LeaveMessage,
            VoicemailMessage = "Hi, this is Ava from Acme Solar. Please call us back.",
        });
        using var control = new SimulatedCallControl();
        var relayOptions = Options(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.StaySilent())) with
        {
            AmdCallbackUrl = host.AmdUrl(call.Id),
            AnsweredBy = "machine_end_beep",
            Control = control,
        };
        host.Simulator.Attach(relayOptions.CallSid, control);
        using var http = new HttpClient();

        var result = await SimulatedRelayCall.RunAsync(relayOptions, http, CancellationToken.None);

        Assert.Equal([204], result.AmdCallbackCodes);
        Assert.True(result.EndedByProvider, "the voicemail redirect should end the ConversationRelay session");
        Assert.Contains("Please call us back", control.RedirectedTo, StringComparison.Ordinal);
        var stored = await Eventually.WaitForAsync(() => host.Calls.GetAsync(call.Id, CancellationToken.None), c => c?.Status == CallStatuses.Completed);
        Assert.Equal(CallDispositions.Voicemail, stored!.Disposition);
    }

    [Fact]
    public async Task A_forged_upgrade_signature_is_refused_before_the_socket_opens()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);
        var options = Options(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Say("Hello?")));
        using var http = new HttpClient();

        var result = await SimulatedRelayCall.RunAsync(new SimulatedRelayCallOptions
        {
            VoiceUrl = options.VoiceUrl,
            AuthToken = VoiceApiHost.AuthToken,
            Caller = options.Caller,
            SocketSignatureOverride = "Zm9yZ2Vk",
        }, http, CancellationToken.None);

        Assert.False(result.SocketOpened);
        Assert.Equal(403, result.UpgradeRefusedStatus);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM call_turns WHERE call_id = @id", ("id", call.Id)));
    }

    [Fact]
    public async Task An_upgrade_signed_over_the_https_form_of_the_socket_url_is_accepted_too()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);
        var httpsForm = new Uri(host.BaseUrl, ConversationRelayWebhooks.RelayPath.TrimStart('/')).ToString();

        var result = await RunAsync(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.HangUp()), TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, httpsForm, []));

        Assert.True(result.SocketOpened);
        Assert.NotEqual(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
    }

    [Fact]
    public async Task A_forged_or_replayed_connection_token_closes_the_socket_with_1008_and_writes_nothing()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, FastRelay);
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: RelayCampaign);
        using var http = new HttpClient();
        string? issued = null;

        var forged = await SimulatedRelayCall.RunAsync(Options(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Say("Hello?"))) with
        {
            TamperParameters = parameters =>
            {
                issued = parameters[ConversationRelayTwiML.TokenParameter];
                return new Dictionary<string, string> { [ConversationRelayTwiML.TokenParameter] = issued[..^4] + "AAAA" };
            },
        }, http, CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, forged.CloseStatus);

        // The genuine token works once; shown a second time it is refused.
        var first = await SimulatedRelayCall.RunAsync(Options(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.HangUp())) with
        {
            TamperParameters = parameters =>
            {
                issued = parameters[ConversationRelayTwiML.TokenParameter];
                return parameters;
            },
        }, http, CancellationToken.None);
        Assert.NotEqual(WebSocketCloseStatus.PolicyViolation, first.CloseStatus);
        var replayed = await SimulatedRelayCall.RunAsync(Options(host, call, lead, new ScriptedRelayCaller(new RelayCallerAction.Say("Hello?"))) with
        {
            TamperParameters = _ => new Dictionary<string, string> { [ConversationRelayTwiML.TokenParameter] = issued! },
        }, http, CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, replayed.CloseStatus);
        Assert.Empty(replayed.AgentReplies.Skip(1));
    }

    [Fact]
    public async Task With_personas_on_the_simulator_provider_places_a_call_the_dialled_numbers_persona_answers()
    {
        var settings = new Dictionary<string, string?>(FastRelay)
        {
            ["Telephony:Simulator:Personas"] = "true",
            // Caller and server speak at one realistic-ish pace, so the server's silence timer (3 s after the greeting
            // it estimates at this pace) catches a caller who answers late: the greeting played twice after the AMD
            // result once kept every persona quiet in local runs.
            ["Telephony:Simulator:PersonaWordsPerMinute"] = "600",
            ["Telephony:ConversationRelay:WordsPerMinute"] = "600",
        };
        await using var host = await VoiceApiHost.StartAsync(servers, null, settings);
        var phone = PersonaCatalog.Default.PhoneFor(PersonaCatalog.Default.Get("eager-buyer"), 0);
        var (_, lead, call) = await host.CreateOutboundCallAsync(phone, DemoCampaign.Settings);

        // What the dialer's place-call job does with Telephony:Provider=simulator.
        var placed = await host.Simulator.PlaceCallAsync(
            new PlaceCallRequest(call.Id, phone, "+15550100001", host.VoiceUrl(call.Id), host.StatusUrl(call.Id), DetectAnsweringMachine: true),
            CancellationToken.None);
        var result = await host.Simulator.RelayCalls[placed.ProviderCallId].WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(result.SocketOpened);
        Assert.Equal([204], result.AmdCallbackCodes);
        Assert.Equal(6, result.CallerSaid.Count); // one answer per demo question
        var stored = await host.Leads.GetAsync(lead.Id, CancellationToken.None);
        Assert.Equal(LeadStatuses.Qualified, stored!.Status);
        Assert.Equal("jordan.reyes@example.com", stored.Email);
        Assert.Equal("human", (await host.Calls.GetAsync(call.Id, CancellationToken.None))!.AnsweredBy);
    }

    private static SimulatedRelayCallOptions Options(VoiceApiHost host, Call call, Lead lead, IRelayCaller caller) => new()
    {
        VoiceUrl = host.VoiceUrl(call.Id),
        StatusCallbackUrl = host.StatusUrl(call.Id),
        AuthToken = VoiceApiHost.AuthToken,
        Caller = caller,
        To = lead.Phone!,
        WordsPerMinute = 6000,
        MaxDuration = TimeSpan.FromSeconds(60),
    };

    private static async Task<SimulatedRelayCallResult> RunAsync(VoiceApiHost host, Call call, Lead lead, IRelayCaller caller, string? socketSignature = null)
    {
        using var http = new HttpClient();
        return await SimulatedRelayCall.RunAsync(Options(host, call, lead, caller) with { SocketSignatureOverride = socketSignature }, http, CancellationToken.None);
    }

    private static Dictionary<string, string> Handoff(SimulatedRelayCallResult result) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(result.HandoffData ?? throw new InvalidOperationException("The server did not end the session.")) ?? [];
}
