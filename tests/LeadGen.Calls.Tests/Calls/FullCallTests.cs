using System.Net.WebSockets;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// End to end: the telephony simulator (signed webhook, Media Streams socket, real-time caller audio from espeak-ng)
/// against the real VoiceApi, bridged to the fake Gemini Live server; results checked in Postgres and Redis.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class FullCallTests(SharedServers servers)
{
    // Long (about 17 s of speech, generated at twice real time in about 9 s) so the fake model is still generating when
    // the caller barges in after 1.5 s of it, even when a loaded machine delays the relay by seconds: only then does the
    // model itself send `interrupted` (asserted below), as the real one does.
    private const string LongReply =
        "Perfect. Let me walk you through how our installation works from the first site survey to the permits, the panels, the inverter, the wiring and the final inspection with the utility company. "
        + "After the survey our engineer designs the layout for your roof, we order the panels and the mounting rails, and a crew of three installs everything in one or two days. "
        + "Then the utility comes to swap the meter and you can switch the system on.";

    /// <summary>How long the caller waits after the agent's last audio before speaking: long enough that a relay stall on a
    /// loaded machine is not mistaken for the end of the agent's turn (which would make the caller talk over it).</summary>
    private static readonly TimeSpan AgentQuiet = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public async Task A_full_call_stores_the_heard_transcript_the_lead_fields_and_queues_analysis()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            OpeningReply = "Hi Dana, this is Ava, an AI assistant calling for Acme Solar. This call may be recorded.",
            Turns =
            [
                new("Yes, I'm interested. Our budget is about ten thousand dollars.", "Great, thank you. When would you like to start?",
                    ToolBeforeReply: new FakeToolCall("record_lead_details", new JsonObject
                    {
                        ["budget"] = 10000,
                        ["currency"] = "USD",
                        ["need"] = "solar panels",
                        ["answers"] = new JsonArray(new JsonObject { ["key"] = "roof", ["answer"] = "south facing" }),
                    })),
                new("Next month.", LongReply),
                new("Sorry, can you just email me the details?", "Of course, I will email you. Goodbye!",
                    ToolAfterReply: new FakeToolCall("end_call", new JsonObject { ["outcome"] = "qualified" })),
            ],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync();

        using var http = new HttpClient();
        var result = await SimulatedCall.RunAsync(host.CallTo(call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), AgentQuiet),
            new CallerStep.Say(CallerSpeech.Say("Yes, I am interested. Our budget is about ten thousand dollars.")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), AgentQuiet),
            new CallerStep.Say(CallerSpeech.Say("Next month.")),
            new CallerStep.InterruptAgent(CallerSpeech.Say("Sorry, can you just email me the details?"), TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(15)),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), AgentQuiet),
            new CallerStep.Pause(TimeSpan.FromSeconds(20)), // the agent hangs up after its goodbye
        ]), http, CancellationToken.None);

        // The simulator saw a Twilio-like call: TwiML, a stream the server ended, a barge-in clear, echoed marks.
        Assert.Equal(200, result.VoiceStatusCode);
        Assert.Contains("<Connect>", result.TwiML, StringComparison.Ordinal);
        Assert.True(result.StreamOpened);
        var summary = $"clears={result.ClearsReceived} latencies=[{string.Join(", ", result.TurnLatenciesMs.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}] "
            + $"interruptions={gemini.Interruptions} tools={gemini.ToolResponses.Count} audioIn={gemini.AudioMessages} heardMs={result.AgentAudioHeard.Length / 8} duration={result.Duration}";
        Assert.True(result.EndedByServer, "the agent should have ended the call after its goodbye: " + summary);
        Assert.True(result.ClearsReceived >= 1, "barge-in must send clear");
        Assert.True(result.AgentFramesCleared > 0, "clear must drop unplayed agent audio");
        Assert.True(result.MarksEchoed > 0);
        Assert.True(result.TurnLatenciesMs.Count >= 3, $"latencies: {string.Join(", ", result.TurnLatenciesMs)}");
        Assert.Equal(204, result.StatusCallbackCode);

        // The model got the real setup: prompt with the disclosure rules, tools, transcription on; opening line requested.
        var setup = Assert.Single(gemini.Setups);
        Assert.Contains("publishers/google/models/", setup["model"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("AI", setup["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(setup["inputAudioTranscription"]);
        Assert.NotNull(setup["outputAudioTranscription"]);
        var tools = setup["tools"]![0]!["functionDeclarations"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("end_call", tools);
        Assert.Contains("transfer_to_human", tools);
        var opening = gemini.TextTurns.First();
        Assert.Contains("AI assistant", opening, StringComparison.Ordinal);
        Assert.Contains("recorded", opening, StringComparison.Ordinal);
        Assert.Contains("press 9", opening, StringComparison.Ordinal);
        Assert.Equal(1, gemini.Interruptions);

        // Postgres: transcript turns in order, the interrupted agent turn truncated to what was heard. The server writes the
        // last turns just after the simulator sees the socket close (and the last agent turn sometimes only at stream end),
        // so wait for every expected turn, not a count.
        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None),
            t => t.Any(x => x.Speaker == CallSpeakers.Agent && x.Text.StartsWith("Of course", StringComparison.Ordinal))
                && t.Any(x => x.Speaker == CallSpeakers.Agent && x.Interrupted)
                && t.Any(x => x.Speaker == CallSpeakers.Caller && x.Text.Contains("email me", StringComparison.Ordinal))
                && t.Any(x => x.Speaker == CallSpeakers.Tool && x.Text.Contains("end_call", StringComparison.Ordinal)));
        Assert.Equal(transcript.OrderBy(t => t.Seq).Select(t => t.Seq), transcript.Select(t => t.Seq));
        var agent = transcript.Where(t => t.Speaker == CallSpeakers.Agent).ToList();
        var caller = transcript.Where(t => t.Speaker == CallSpeakers.Caller).ToList();
        Assert.StartsWith("Hi Dana, this is Ava, an AI assistant", agent[0].Text, StringComparison.Ordinal);
        Assert.Contains(caller, t => t.Text.Contains("ten thousand", StringComparison.Ordinal));
        Assert.Contains(caller, t => t.Text.Contains("email me", StringComparison.Ordinal));
        var cut = Assert.Single(agent, t => t.Interrupted);
        Assert.StartsWith("Perfect. Let me walk you", cut.Text, StringComparison.Ordinal);
        Assert.True(cut.Text.Length < LongReply.Length * 0.8, $"interrupted turn kept too much: '{cut.Text}'");
        Assert.Contains(agent, t => t.Text.StartsWith("Of course", StringComparison.Ordinal) && !t.Interrupted);
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Tool && t.Text.Contains("record_lead_details", StringComparison.Ordinal));

        // Lead fields from the tool call; call completed with its disposition; analysis job in the outbox.
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal(CallStatuses.Completed, stored!.Status);
        Assert.Equal("qualified", stored.Disposition);
        Assert.Equal(10000m, stored.Extracted["budget"]!.GetValue<decimal>());
        Assert.Equal("USD", stored.Extracted["currency"]!.GetValue<string>());
        Assert.Equal(result.CallSid, stored.ProviderCallId);
        var storedLead = await host.Leads.GetAsync(lead.Id, CancellationToken.None);
        Assert.Equal(10000m, storedLead!.Qualification["budget"]!.GetValue<decimal>());
        Assert.Equal("south facing", storedLead.Qualification["roof"]!.GetValue<string>());
        Assert.Equal("qualified", storedLead.Status);
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM job_outbox WHERE job_type = 'analyze-call' AND payload->>'callId' = @id", ("id", call.Id.ToString())));

        // Live-call state is gone from Redis once the call ended (removed last, after the stream's final writes).
        var live = host.Services.GetRequiredService<LiveCallRegistry>();
        Assert.DoesNotContain(
            await Eventually.WaitForAsync(() => live.ListAsync(CancellationToken.None), calls => calls.All(c => c.CallId != call.Id)),
            c => c.CallId == call.Id);
    }

    [Fact]
    public async Task Pressing_9_puts_the_number_on_the_do_not_call_list_and_the_agent_ends_the_call()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript { OpeningReply = "Hi, this is an AI assistant. This call may be recorded." });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync("+15550100077");

        using var http = new HttpClient();
        var result = await SimulatedCall.RunAsync(host.CallTo(call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.PressKey("9"),
            new CallerStep.Pause(TimeSpan.FromSeconds(20)),
        ]), http, CancellationToken.None);

        Assert.True(result.EndedByServer);
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM do_not_call WHERE phone = @phone", ("phone", lead.Phone!)));
        Assert.Equal("do_not_call", (await host.Leads.GetAsync(lead.Id, CancellationToken.None))!.Status);
        Assert.Contains(gemini.TextTurns, text => text.Contains("pressed 9", StringComparison.Ordinal));
        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None),
            t => t.Any(x => x.Speaker == CallSpeakers.Agent && x.Text.Contains("not be called again", StringComparison.Ordinal)));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.System && t.Text.Contains("opted out", StringComparison.Ordinal));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("not be called again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_goAway_from_the_model_resumes_the_session_without_dropping_the_call()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            Turns = [new("Hello there.", "Hello, how can I help?"), new("Tell me more.", "Our panels come with a twenty year warranty.")],
            GoAwayAfterTurn = 1,
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, lead, call) = await host.CreateOutboundCallAsync("+15550100055");

        using var http = new HttpClient();
        var result = await SimulatedCall.RunAsync(host.CallTo(call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.Say(CallerSpeech.Say("Hello there.")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.Say(CallerSpeech.Say("Tell me more.")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
        ]), http, CancellationToken.None);

        Assert.False(result.EndedByServer);
        Assert.Equal(2, gemini.Connections);
        Assert.Equal(1, gemini.Resumptions);
        var transcript = await Eventually.WaitForAsync(() => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Any(x => x.Text.Contains("warranty", StringComparison.Ordinal)));
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("warranty", StringComparison.Ordinal));
        // goAway came while this reply was being sent: it is finished on the old connection, not lost in the move.
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("how can I help", StringComparison.Ordinal) && !t.Interrupted);
        Assert.Contains(transcript, t => t.Speaker == CallSpeakers.Caller && t.Text.Contains("Hello there", StringComparison.Ordinal));
    }
}
