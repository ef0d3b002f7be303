using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>The coordinator between a fake transport and a fake engine: whole call flows in milliseconds.</summary>
public sealed class CallCoordinatorTests() : CoordinatorTestBase<FakeEngine, FakeTransport, MemorySink>(new FakeEngine(), new FakeTransport(), new MemorySink(), engine => new RealtimeVoiceEngine(engine))
{
    [Fact]
    public async Task An_agent_turn_is_played_out_and_stored_whole_once_the_transport_reports_it_heard()
    {
        await _coordinator.StartAsync(CancellationToken.None);
        _engine.Push(new AgentTranscript("Hi, this is an AI assistant."));
        _engine.Push(FakeEngine.Speech(400));
        _engine.Push(FakeEngine.Speech(400));
        _engine.Push(new AgentTurnComplete());
        await UntilAsync(() => _transport.Log.Contains("end 0"));

        await _coordinator.OnAgentAudioPlayedAsync(0, 820, turnComplete: true, CancellationToken.None);
        await _coordinator.DisposeAsync();

        Assert.Contains("AI assistant", Assert.Single(_engine.Texts), StringComparison.Ordinal);
        Assert.Equal(["audio 0", "audio 0", "end 0"], _transport.Log);
        var turn = Assert.Single(_sink.Turns);
        Assert.Equal(("Hi, this is an AI assistant.", false), (turn.Text, turn.Interrupted));
        Assert.True(_engine.Disposed);
    }

    [Fact]
    public async Task Caller_speech_over_unheard_audio_clears_it_keeps_the_heard_words_and_drops_the_rest_of_the_turn()
    {
        using var bargeIns = new MetricCollector<long>(_metrics.BargeIns);
        _engine.Push(new AgentTranscript("one two three four five six seven eight nine ten"));
        _engine.Push(FakeEngine.Speech(2000));
        await UntilAsync(() => _transport.Log.Contains("audio 0"));
        await _coordinator.OnAgentAudioPlayedAsync(0, 600, turnComplete: false, CancellationToken.None);

        var frame = new byte[640]; // 20 ms at 16 kHz
        for (var i = 0; i < 15; i++)
        {
            await _coordinator.OnCallerAudioAsync(frame, voiced: true, CancellationToken.None);
        }

        _engine.Push(FakeEngine.Speech(400)); // the engine had not noticed yet: this is dropped
        _engine.Push(new AgentTurnComplete());
        _engine.Push(new CallerTranscript("Sorry, can you email me?"));
        _engine.Push(new AgentTranscript("Of course."));
        _engine.Push(FakeEngine.Speech(400));
        await UntilAsync(() => _transport.Log.Contains("audio 2"));
        await _coordinator.DisposeAsync();

        Assert.Equal(["audio 0", "clear", "audio 2"], _transport.Log);
        Assert.Equal(15 * 640, _engine.AudioBytes); // every frame, the voiced ones two to a message
        Assert.Equal(8, _engine.AudioMessages);
        Assert.Equal(1, bargeIns.GetMeasurementSnapshot().EvaluateAsCounter());
        // The last turn was never confirmed heard, so it is not in the transcript at all.
        Assert.Collection(_sink.Turns.OrderBy(t => t.Seq),
            cut => Assert.Equal(("one two three —", true), (cut.Text, cut.Interrupted)),
            caller => Assert.Equal(("Sorry, can you email me?", CallSpeakers.Caller), (caller.Text, caller.Speaker)));
    }

    [Fact]
    public async Task An_engine_interruption_clears_the_audio_and_its_next_turn_plays()
    {
        _engine.Push(new AgentTranscript("A long answer"));
        _engine.Push(FakeEngine.Speech(1000));
        _engine.Push(new AgentInterrupted());
        _engine.Push(new AgentTranscript("Yes?"));
        _engine.Push(FakeEngine.Speech(200));
        await UntilAsync(() => _transport.Log.Contains("audio 1"));

        Assert.Equal(["audio 0", "clear", "audio 1"], _transport.Log);
    }

    [Fact]
    public async Task End_call_answers_the_engine_and_hangs_up_only_after_the_goodbye_has_been_heard()
    {
        _engine.Push(new AgentTranscript("Goodbye!"));
        _engine.Push(FakeEngine.Speech(400));
        _engine.Push(new AgentTurnComplete());
        _engine.Push(new ToolCallsRequested([new RealtimeToolCall("t1", ToolDispatcher.EndCallTool, [])]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        Assert.Empty(_transport.Intents);
        Assert.False(_coordinator.Ended.IsCancellationRequested);

        await _coordinator.OnAgentAudioPlayedAsync(0, 400, turnComplete: true, CancellationToken.None);

        Assert.IsType<HangUp>(Assert.Single(_transport.Intents));
        Assert.True(_coordinator.Ended.IsCancellationRequested);
        Assert.True(Assert.Single(Assert.Single(_engine.ToolResults)).Response["ok"]!.GetValue<bool>());
        await UntilAsync(() => _sink.Turns.Any(t => t.Speaker == CallSpeakers.Tool && t.Text.Contains("end_call", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pressing_9_records_the_opt_out_tells_the_engine_and_hangs_up_by_itself_if_the_goodbye_never_plays()
    {
        await _coordinator.OnKeyPressedAsync("5", CancellationToken.None);
        Assert.Empty(_tools.Calls);

        await _coordinator.OnKeyPressedAsync(CallCoordinator.OptOutKey, CancellationToken.None);
        Assert.Equal([ToolDispatcher.DoNotCallTool], _tools.Calls);
        Assert.Contains(_engine.Texts, t => t.Contains("pressed 9", StringComparison.Ordinal));
        Assert.Empty(_transport.Intents);

        _time.Advance(PendingCallAction.Timeout);
        await UntilAsync(() => _coordinator.Ended.IsCancellationRequested);
        Assert.IsType<HangUp>(Assert.Single(_transport.Intents));
        await UntilAsync(() => _sink.Turns.Any(t => t.Text.Contains("opted out", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_call_ends_when_the_engine_session_ends_and_the_engine_loop_stops_on_cancellation()
    {
        _engine.Push(new SessionEnded("closed by the model"));
        await UntilAsync(() => _coordinator.Ended.IsCancellationRequested);
        await _engineLoop.WaitAsync(Wait);

        await using var other = new CallCoordinatorTests();
        await other._call.CancelAsync();
        await other._engineLoop.WaitAsync(Wait); // returns quietly: the call ended first
        Assert.False(other._coordinator.Ended.IsCancellationRequested);
    }
}
