using System.Diagnostics;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>
/// The coordinator with a text engine and a text transport (the ConversationRelay shape): the same parts as an audio
/// call — heard transcript, barge-in, pending actions, tool dispatch, turn writer — with in-memory fakes and a fake
/// clock, in milliseconds.
/// </summary>
public sealed class TextCallTests() : CoordinatorTestBase<FakeTextEngine, FakeTextTransport, MemorySink>(new FakeTextEngine(), new FakeTextTransport(Greeting, Silence), new MemorySink(), engine => engine, loopUntilCallEnds: true)
{
    private const string Greeting = "Hi, this is an AI assistant calling for Acme Solar. What budget do you have in mind?";
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task The_greeting_is_the_first_turn_the_callers_words_reach_the_engine_and_the_reply_streams_to_the_transport()
    {
        using var latency = new MetricCollector<double>(_metrics.TurnLatency);
        await _coordinator.StartAsync(CancellationToken.None);
        Assert.Equal((Greeting, true), Assert.Single(_engine.Started));
        Assert.Equal(["end 0"], _transport.Log); // spoken by the far side: nothing sent, only timed
        await _coordinator.OnAgentAudioPlayedAsync(0, 0, turnComplete: true, CancellationToken.None);

        await _coordinator.OnCallerTextAsync("About $50,000.", CancellationToken.None);
        Assert.Equal(["About $50,000."], _engine.CallerTexts);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        _engine.Reply("Thank you. ", "When would you like them installed?");
        await UntilAsync(() => _transport.Log.Contains("end 2"));
        Assert.Equal(["end 0", "text 2 Thank you. ", "text 2 When would you like them installed?", "end 2"], _transport.Log);
        await _coordinator.OnAgentAudioPlayedAsync(2, 0, turnComplete: true, CancellationToken.None);
        await _coordinator.DisposeAsync();

        Assert.Equal(
            [(CallSpeakers.Agent, Greeting, false), (CallSpeakers.Caller, "About $50,000.", false), (CallSpeakers.Agent, "Thank you. When would you like them installed?", false)],
            _sink.Turns.OrderBy(t => t.Seq).Select(t => (t.Speaker, t.Text, t.Interrupted)));
        Assert.Equal(250, Assert.Single(latency.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task An_interrupt_keeps_what_was_heard_tells_the_engine_and_drops_the_rest_of_the_reply()
    {
        using var bargeIns = new MetricCollector<long>(_metrics.BargeIns);
        await _coordinator.StartAsync(CancellationToken.None);
        await _coordinator.OnCallerInterruptedAsync("Hi, this is an", CancellationToken.None);
        Assert.Equal(["Hi, this is an"], _engine.Interrupted);

        await _coordinator.OnCallerTextAsync("Who is this?", CancellationToken.None);
        _engine.Push(new AgentTranscript("I'm an assistant "));
        await UntilAsync(() => _transport.Log.Any(line => line.StartsWith("text", StringComparison.Ordinal)));
        await _coordinator.OnCallerInterruptedAsync("I'm an", CancellationToken.None);
        _engine.Reply("calling about solar panels."); // the rest of the interrupted reply: never sent
        _engine.Reply("Sorry, go ahead.");
        await UntilAsync(() => _transport.Log.Any(line => line.EndsWith("Sorry, go ahead.", StringComparison.Ordinal)));
        await _coordinator.DisposeAsync();

        Assert.DoesNotContain(_transport.Log, line => line.Contains("solar panels", StringComparison.Ordinal));
        Assert.Equal(2, bargeIns.GetMeasurementSnapshot().Sum(m => m.Value));
        var agent = _sink.Turns.Where(t => t.Speaker == CallSpeakers.Agent).OrderBy(t => t.Seq).ToList();
        Assert.Equal([("Hi, this is an —", true), ("I'm an —", true), ("Sorry, go ahead.", false)], agent.Select(t => (t.Text, t.Interrupted)));
    }

    [Fact]
    public async Task Pressing_9_opts_out_tells_the_engine_and_hangs_up_after_its_confirmation_not_after_the_greeting()
    {
        await _coordinator.StartAsync(CancellationToken.None);
        await _coordinator.OnKeyPressedAsync(CallCoordinator.OptOutKey, CancellationToken.None);
        Assert.Equal([ToolDispatcher.DoNotCallTool], _tools.Calls);
        Assert.Equal([CallNote.OptedOut], _engine.Notes);

        await _coordinator.OnAgentAudioPlayedAsync(0, 0, turnComplete: true, CancellationToken.None); // the greeting ends
        Assert.Empty(_transport.Intents);

        _engine.Reply("Understood, you won't be called again. Goodbye.");
        await UntilAsync(() => _transport.Log.Contains("end 2"));
        await _coordinator.OnAgentAudioPlayedAsync(2, 0, turnComplete: true, CancellationToken.None);
        Assert.IsType<HangUp>(Assert.Single(_transport.Intents));
        Assert.True(_coordinator.Ended.IsCancellationRequested);
        await _coordinator.DisposeAsync();
        Assert.Contains(_sink.Turns, t => t.Speaker == CallSpeakers.System && t.Text.Contains("pressed 9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transfer_asked_by_the_agent_happens_once_its_handover_line_has_been_heard()
    {
        await _coordinator.StartAsync(CancellationToken.None);
        await _coordinator.OnAgentAudioPlayedAsync(0, 0, turnComplete: true, CancellationToken.None);
        await _coordinator.OnCallerTextAsync("Can I talk to a person?", CancellationToken.None);
        _engine.Push(new ToolCallsRequested([new RealtimeToolCall("t1", ToolDispatcher.TransferTool, new JsonObject { ["reason"] = "asked" })]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        Assert.True(Assert.Single(Assert.Single(_engine.ToolResults)).Response["ok"]!.GetValue<bool>());

        _engine.Reply("Of course, connecting you now.");
        await UntilAsync(() => _transport.Log.Any(line => line.StartsWith("end", StringComparison.Ordinal) && line != "end 0"));
        Assert.Empty(_transport.Intents);
        var turn = int.Parse(_transport.Log.Last()[4..], System.Globalization.CultureInfo.InvariantCulture);
        await _coordinator.OnAgentAudioPlayedAsync(turn, 0, turnComplete: true, CancellationToken.None);

        Assert.Equal(new TransferToHuman("+15550109999"), Assert.Single(_transport.Intents));
        await _coordinator.DisposeAsync();
        Assert.Contains(_sink.Turns, t => t.Speaker == CallSpeakers.Tool && t.Text.StartsWith(ToolDispatcher.TransferTool, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_line_is_asked_once_then_the_agent_says_goodbye_and_hangs_up()
    {
        await _coordinator.StartAsync(CancellationToken.None);
        await _coordinator.OnAgentAudioPlayedAsync(0, 0, turnComplete: true, CancellationToken.None);
        _time.Advance(Silence - TimeSpan.FromSeconds(1));
        Assert.Empty(_engine.Notes);
        _time.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => _engine.Notes.Count == 1);
        Assert.Equal([CallNote.StillThere], _engine.Notes);

        _engine.Reply("Are you still there?");
        await UntilAsync(() => _transport.Log.Contains("end 1"));
        await _coordinator.OnAgentAudioPlayedAsync(1, 0, turnComplete: true, CancellationToken.None);
        _time.Advance(Silence);
        await UntilAsync(() => _engine.Notes.Count == 2);
        Assert.Equal([CallNote.StillThere, CallNote.NoResponse], _engine.Notes);
        Assert.Empty(_transport.Intents);

        _engine.Reply("I'll try another time. Goodbye!");
        await UntilAsync(() => _transport.Log.Contains("end 2"));
        await _coordinator.OnAgentAudioPlayedAsync(2, 0, turnComplete: true, CancellationToken.None);
        Assert.Equal(new HangUp("no-response"), Assert.Single(_transport.Intents));
    }

    [Fact]
    public async Task Caller_words_reset_the_silence_count()
    {
        await _coordinator.StartAsync(CancellationToken.None);
        await _coordinator.OnAgentAudioPlayedAsync(0, 0, turnComplete: true, CancellationToken.None);
        _time.Advance(Silence);
        await UntilAsync(() => _engine.Notes.Count == 1);
        await _coordinator.OnCallerTextAsync("Yes, sorry.", CancellationToken.None);
        _engine.Reply("No problem. What budget do you have in mind?");
        await UntilAsync(() => _transport.Log.Contains("end 2"));
        await _coordinator.OnAgentAudioPlayedAsync(2, 0, turnComplete: true, CancellationToken.None);
        _time.Advance(Silence);
        await UntilAsync(() => _engine.Notes.Count == 2);

        Assert.Equal([CallNote.StillThere, CallNote.StillThere], _engine.Notes);
    }
}
