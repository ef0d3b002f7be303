using System.Collections.Concurrent;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>
/// The engine's turn events the Live API adds (toolCallCancellation, generationComplete, usageMetadata) through the
/// coordinator, between a fake engine and a fake transport, on a fake clock: milliseconds per test.
/// </summary>
public sealed class EngineTurnEventsTests() : CoordinatorTestBase<FakeEngine, FakeTransport, EngineTurnEventsTests.UsageSink>(new FakeEngine(), new FakeTransport(), new UsageSink(), engine => new RealtimeVoiceEngine(engine))
{
    [Fact]
    public async Task Tool_calls_the_model_withdraws_after_a_barge_in_have_no_effect_no_do_not_call_no_hang_up()
    {
        _engine.Push(new AgentTranscript("Sure, I'll take you off our list and"));
        _engine.Push(FakeEngine.Speech(600));
        _engine.Push(new ToolCallsRequested(
        [
            new RealtimeToolCall("dnc-1", ToolDispatcher.DoNotCallTool, new() { ["reason"] = "misheard" }),
            new RealtimeToolCall("end-1", ToolDispatcher.EndCallTool, new() { ["outcome"] = "do_not_call" }),
        ]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        _engine.Push(new ToolCallsCancelled(["dnc-1", "end-1"]));
        _engine.Push(new AgentInterrupted());
        _engine.Push(new AgentTurnComplete());
        await UntilAsync(() => _transport.Log.Contains("clear"));

        _time.Advance(PendingCallAction.Timeout + TimeSpan.FromSeconds(1)); // the hang-up's own timeout passes too
        await Task.Delay(50);
        Assert.False(_coordinator.Ended.IsCancellationRequested);
        await _coordinator.DisposeAsync(); // the call ends: nothing withdrawn is carried out at the end either

        Assert.Empty(_tools.Calls);
        Assert.Empty(_transport.Intents);
        Assert.Contains(_sink.Turns, turn => turn.Speaker == CallSpeakers.System && turn.Text.Contains("withdrew", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_do_not_call_the_model_keeps_takes_effect_when_its_generation_completes()
    {
        _engine.Push(new ToolCallsRequested([new RealtimeToolCall("dnc-1", ToolDispatcher.DoNotCallTool, new() { ["reason"] = "asked" })]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        Assert.Empty(_tools.Calls); // answered, not yet done: the model could still withdraw it

        _engine.Push(new AgentGenerationComplete());
        await UntilAsync(() => !_tools.Calls.IsEmpty);

        Assert.Equal([ToolDispatcher.DoNotCallTool], _tools.Calls);
    }

    [Fact]
    public async Task End_call_after_a_goodbye_already_heard_hangs_up_at_generation_complete_not_after_the_timeout()
    {
        _engine.Push(new AgentTranscript("Thanks, goodbye!"));
        _engine.Push(FakeEngine.Speech(400));
        _engine.Push(new AgentTurnComplete());
        await UntilAsync(() => _transport.Log.Contains("end 0"));
        await _coordinator.OnAgentAudioPlayedAsync(0, 400, turnComplete: true, CancellationToken.None);

        _engine.Push(new ToolCallsRequested([new RealtimeToolCall("end-1", ToolDispatcher.EndCallTool, new() { ["outcome"] = "qualified" })]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        Assert.Empty(_transport.Intents);
        _engine.Push(new AgentGenerationComplete()); // the model has nothing more to say

        await UntilAsync(() => _coordinator.Ended.IsCancellationRequested);
        Assert.IsType<HangUp>(Assert.Single(_transport.Intents));
        Assert.Equal([ToolDispatcher.EndCallTool], _tools.Calls);
    }

    [Fact]
    public async Task End_call_with_the_goodbye_still_playing_waits_for_it_even_after_generation_complete()
    {
        _engine.Push(new ToolCallsRequested([new RealtimeToolCall("end-1", ToolDispatcher.EndCallTool, [])]));
        await UntilAsync(() => !_engine.ToolResults.IsEmpty);
        _engine.Push(new AgentTranscript("Goodbye!"));
        _engine.Push(FakeEngine.Speech(800));
        _engine.Push(new AgentGenerationComplete());
        _engine.Push(new AgentTurnComplete());
        await UntilAsync(() => _transport.Log.Any(entry => entry.StartsWith("end ", StringComparison.Ordinal)));
        Assert.Empty(_transport.Intents);
        var turn = int.Parse(_transport.Log.First(entry => entry.StartsWith("end ", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture);

        await _coordinator.OnAgentAudioPlayedAsync(turn, 800, turnComplete: true, CancellationToken.None);

        Assert.IsType<HangUp>(Assert.Single(_transport.Intents));
    }

    [Fact]
    public async Task Each_usage_report_is_added_to_the_calls_token_totals()
    {
        _engine.Push(new EngineUsage(300, 120, 250, 100));
        _engine.Push(new EngineUsage(420, 80));
        await UntilAsync(() => _sink.Usage.Count == 2); // read by the engine loop (stored off it, in order)
        await _coordinator.DisposeAsync();

        Assert.Equal([(300L, 120L), (420L, 80L)], _sink.Usage.Select(usage => (usage.InputTokens, usage.OutputTokens)));
    }

    public sealed class UsageSink : ICallEventSink
    {
        public ConcurrentQueue<CallTurn> Turns { get; } = new();

        public ConcurrentQueue<EngineUsage> Usage { get; } = new();

        public Task StreamStartedAsync(Guid callId, string? providerCallId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AppendTurnAsync(CallTurn turn, CancellationToken cancellationToken)
        {
            Turns.Enqueue(turn);
            return Task.CompletedTask;
        }

        public Task AddUsageAsync(Guid callId, EngineUsage usage, CancellationToken cancellationToken)
        {
            Usage.Enqueue(usage);
            return Task.CompletedTask;
        }
    }
}
