using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>The live call's small parts, each alone, in memory, with a fake clock: milliseconds each.</summary>
public sealed class PartsTests
{
    private static readonly Guid CallId = Guid.NewGuid();

    [Fact]
    public void Transcript_keeps_only_the_heard_share_of_a_cut_turn_and_stores_turns_in_sequence()
    {
        var stored = new List<CallTurn>();
        var transcript = new HeardTranscript(CallId, new FakeTimeProvider(), stored.Add);

        transcript.CallerSaid("Hello, who is");
        transcript.CallerSaid(" this?");
        transcript.AgentSaid("one two three four five six seven eight nine ten");
        var turn = transcript.StartAgentTurnIfNeeded();
        turn.SentMs = 2000;
        Assert.False(transcript.AgentAudioPlayed(turn.Sequence, 600, complete: false));
        Assert.True(transcript.AgentAudioUnheard);
        var cut = transcript.InterruptAgent();

        Assert.Same(turn, cut);
        Assert.False(transcript.AgentAudioUnheard);
        Assert.Collection(stored,
            caller => Assert.Equal((0, CallSpeakers.Caller, "Hello, who is this?"), (caller.Seq, caller.Speaker, caller.Text)),
            agent => Assert.Equal((1, "one two three —", true), (agent.Seq, agent.Text, agent.Interrupted)));
    }

    [Fact]
    public void Transcript_stores_a_played_turn_whole_and_ignores_reports_for_turns_already_cut()
    {
        var stored = new List<CallTurn>();
        var transcript = new HeardTranscript(CallId, new FakeTimeProvider(), stored.Add);

        transcript.AgentSaid("First turn.");
        var first = transcript.StartAgentTurnIfNeeded();
        first.SentMs = 400;
        transcript.InterruptAgent(); // nothing heard: nothing stored
        transcript.AgentSaid("Second turn, heard whole.");
        var second = transcript.StartAgentTurnIfNeeded();
        second.SentMs = 800;

        Assert.False(transcript.AgentAudioPlayed(first.Sequence, 400, complete: true)); // late echo of the cut turn
        Assert.True(transcript.AgentAudioPlayed(second.Sequence, 820, complete: true));
        transcript.System("tool end_call");

        Assert.Collection(stored,
            agent => Assert.Equal(("Second turn, heard whole.", false, 1), (agent.Text, agent.Interrupted, agent.Seq)),
            system => Assert.Equal((CallSpeakers.System, 2), (system.Speaker, system.Seq)));
    }

    [Fact]
    public void Closing_the_transcript_stores_an_unfinished_turn_as_far_as_it_was_heard_then_the_caller()
    {
        var stored = new List<CallTurn>();
        var transcript = new HeardTranscript(CallId, new FakeTimeProvider(), stored.Add);
        transcript.AgentSaid("alpha beta gamma delta");
        var turn = transcript.StartAgentTurnIfNeeded();
        turn.SentMs = 1000;
        transcript.AgentAudioPlayed(turn.Sequence, 500, complete: false);

        transcript.Close();

        Assert.Equal("alpha beta —", Assert.Single(stored).Text);
    }

    [Fact]
    public void Barge_in_fires_once_after_300_ms_of_speech_over_unheard_agent_audio()
    {
        var bargeIn = new BargeIn();

        var fired = Enumerable.Range(0, 30).Select(_ => bargeIn.OnCallerAudio(voiced: true, 20, agentAudioUnheard: true)).ToList();

        Assert.Equal(14, fired.IndexOf(true)); // the 15th 20 ms frame
        Assert.Single(fired, f => f);
        Assert.False(bargeIn.OnCallerAudio(voiced: false, 20, agentAudioUnheard: true)); // silence resets the run
        Assert.DoesNotContain(true, Enumerable.Range(0, 30).Select(_ => bargeIn.OnCallerAudio(voiced: true, 20, agentAudioUnheard: false)).ToList()); // agent audio all heard
    }

    [Fact]
    public void A_local_barge_in_drops_the_rest_of_the_engine_turn_until_it_ends_an_engine_one_does_not()
    {
        var bargeIn = new BargeIn();

        bargeIn.AgentInterrupted(byEngine: false, engineFinishedTurn: false);
        Assert.True(bargeIn.DroppingAgentTurn);
        Assert.True(bargeIn.EngineTurnEnded()); // the dropped turn's end is swallowed too
        Assert.False(bargeIn.DroppingAgentTurn);

        bargeIn.AgentInterrupted(byEngine: true, engineFinishedTurn: false);
        Assert.False(bargeIn.DroppingAgentTurn);
        bargeIn.AgentInterrupted(byEngine: false, engineFinishedTurn: true); // the engine had finished: nothing more comes
        Assert.False(bargeIn.DroppingAgentTurn);
        Assert.False(bargeIn.EngineTurnEnded());
    }

    [Fact]
    public async Task A_pending_action_runs_once_when_the_last_words_are_heard_and_ends_the_call()
    {
        var transport = new FakeTransport();
        var ended = 0;
        using var call = new CancellationTokenSource();
        var pending = new PendingCallAction(transport, new FakeTimeProvider(), NullLogger.Instance, CallId, () => { ended++; return Task.CompletedTask; });

        pending.Set(new TransferToHuman("+15550109999"), call.Token);
        Assert.True(pending.IsPending);
        Assert.True(await pending.RunAsync(CancellationToken.None));
        Assert.False(await pending.RunAsync(CancellationToken.None));

        Assert.Equal(new TransferToHuman("+15550109999"), Assert.Single(transport.Intents));
        Assert.Equal(1, ended);
        await call.CancelAsync();
    }

    [Fact]
    public async Task A_pending_action_runs_by_itself_after_the_timeout_unless_the_call_ended_first()
    {
        var time = new FakeTimeProvider();
        var transport = new FakeTransport();
        var ended = new TaskCompletionSource();
        using var call = new CancellationTokenSource();
        var pending = new PendingCallAction(transport, time, NullLogger.Instance, CallId, () => { ended.TrySetResult(); return Task.CompletedTask; });

        pending.Set(new HangUp(), call.Token);
        time.Advance(PendingCallAction.Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Empty(transport.Intents);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<HangUp>(Assert.Single(transport.Intents));

        var quiet = new FakeTransport();
        using var shortCall = new CancellationTokenSource();
        var cancelled = new PendingCallAction(quiet, time, NullLogger.Instance, CallId, () => Task.CompletedTask);
        cancelled.Set(new HangUp(), shortCall.Token);
        await shortCall.CancelAsync();
        time.Advance(PendingCallAction.Timeout * 2);
        await Task.Delay(50); // a continuation that should not run gets its chance to (wrongly) run
        Assert.Empty(quiet.Intents);
        Assert.True(cancelled.IsPending); // still recorded, but the call is over: nothing acts on it
    }

    [Theory]
    [InlineData(true, "+15550109999", true)]
    [InlineData(false, "+15550109999", false)]
    [InlineData(true, null, false)]
    public async Task Transfer_is_offered_only_with_a_number_and_a_transport_that_can_transfer(bool canTransfer, string? number, bool transfers)
    {
        var tools = new FakeTools();
        var dispatcher = new ToolDispatcher(Context(number), tools, canTransfer, NullLogger.Instance);

        var dispatch = await dispatcher.DispatchAsync([new RealtimeToolCall("1", ToolDispatcher.TransferTool, [])], CancellationToken.None);

        var result = Assert.Single(dispatch.Results);
        Assert.Equal(transfers, result.Response["ok"]!.GetValue<bool>());
        Assert.Equal(transfers ? new TransferToHuman(number!) : null, dispatch.Action);
        Assert.Empty(tools.Calls); // a transfer is withdrawable: nothing happens until the model's turn is final
        await dispatcher.CommitAsync(dispatch.Deferred!, CancellationToken.None);
        Assert.Equal(transfers ? 1 : 0, tools.Calls.Count);
    }

    [Fact]
    public async Task End_call_asks_for_a_hang_up_and_a_failing_tool_tells_the_engine_instead_of_throwing()
    {
        var tools = new FakeTools(failing: "record_lead_details");
        var dispatcher = new ToolDispatcher(Context(null), tools, canTransfer: true, NullLogger.Instance);

        var dispatch = await dispatcher.DispatchAsync(
        [
            new RealtimeToolCall("1", "record_lead_details", new JsonObject { ["budget"] = 5 }),
            new RealtimeToolCall("2", ToolDispatcher.EndCallTool, new JsonObject { ["outcome"] = "qualified" }),
        ], CancellationToken.None);

        Assert.IsType<HangUp>(dispatch.Action);
        Assert.Equal("The tool failed; continue without it.", dispatch.Results[0].Response["error"]!.GetValue<string>());
        Assert.True(dispatch.Results[1].Response["ok"]!.GetValue<bool>());
        Assert.Collection(dispatch.Notes,
            note => Assert.StartsWith("record_lead_details {\"budget\":5} → ", note, StringComparison.Ordinal),
            note => Assert.StartsWith("end_call {", note, StringComparison.Ordinal));
        Assert.Equal(["record_lead_details"], tools.Calls); // end_call's outcome waits for the turn to be final
        Assert.Equal("2", dispatch.ActionCallId);
        await dispatcher.CommitAsync(dispatch.Deferred!, CancellationToken.None);
        Assert.Equal(["record_lead_details", "end_call"], tools.Calls);
        Assert.Contains("storing it failed", await new ToolDispatcher(Context(null), new FakeTools(failing: ToolDispatcher.DoNotCallTool), true, NullLogger.Instance).OptOutAsync("pressed 9", CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_action_waits_for_its_goodbye_turn_and_a_withdrawn_one_never_runs()
    {
        var transport = new FakeTransport();
        var tools = new FakeTools();
        var turns = new CallTurns(CallId, new FakeTimeProvider(), _ => { });
        using var call = new CancellationTokenSource();
        var pending = new PendingCallAction(transport, new FakeTimeProvider(), NullLogger.Instance, CallId, () => Task.CompletedTask);
        var actions = new CallActions(turns, new ToolDispatcher(Context(null), tools, true, NullLogger.Instance), pending, audioEngine: true, NullLogger.Instance, CallId, call.Token);
        var goodbye = turns.AgentOutput(200, text: null)!.Value.Turn; // the agent is saying its goodbye

        var results = await actions.DispatchAsync([new RealtimeToolCall("7", ToolDispatcher.EndCallTool, new JsonObject { ["outcome"] = "qualified" })], CancellationToken.None);
        Assert.True(Assert.Single(results).Response["ok"]!.GetValue<bool>());
        Assert.False(await actions.AgentTurnHeardAsync(goodbye - 1, CancellationToken.None)); // an earlier turn: not yet
        Assert.Empty(transport.Intents);
        Assert.True(await actions.AgentTurnHeardAsync(goodbye, CancellationToken.None));
        Assert.IsType<HangUp>(Assert.Single(transport.Intents));
        Assert.Equal(["end_call"], tools.Calls); // committed once the goodbye turn was final

        var withdrawnTransport = new FakeTransport();
        var withdrawnTools = new FakeTools();
        var withdrawnTurns = new CallTurns(CallId, new FakeTimeProvider(), _ => { });
        var withdrawnPending = new PendingCallAction(withdrawnTransport, new FakeTimeProvider(), NullLogger.Instance, CallId, () => Task.CompletedTask);
        var withdrawn = new CallActions(withdrawnTurns, new ToolDispatcher(Context("+15550109999"), withdrawnTools, true, NullLogger.Instance), withdrawnPending, audioEngine: true, NullLogger.Instance, CallId, call.Token);
        var turn = withdrawnTurns.AgentOutput(200, text: null)!.Value.Turn;
        await withdrawn.DispatchAsync([new RealtimeToolCall("8", ToolDispatcher.TransferTool, [])], CancellationToken.None);
        withdrawn.Withdraw(["8"]);
        Assert.False(await withdrawn.AgentTurnHeardAsync(turn, CancellationToken.None));
        await withdrawn.GenerationFinishedAsync(CancellationToken.None);
        Assert.Empty(withdrawnTransport.Intents);
        Assert.Empty(withdrawnTools.Calls);
        await call.CancelAsync();
    }

    [Fact]
    public async Task The_turn_writer_stores_every_turn_and_survives_a_failing_store()
    {
        var sink = new MemorySink();
        await using (var writer = new TurnWriter(sink, NullLogger.Instance))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.Enqueue(new CallTurn { CallId = CallId, Seq = i, Speaker = CallSpeakers.Caller, Text = "t", StartedAt = default, EndedAt = default });
            }
        }

        Assert.Equal(Enumerable.Range(0, 100), sink.Turns.Select(t => t.Seq));
        await using var failing = new TurnWriter(new MemorySink { Fail = true }, NullLogger.Instance);
        failing.Enqueue(new CallTurn { CallId = CallId, Seq = 0, Speaker = CallSpeakers.Caller, Text = "t", StartedAt = default, EndedAt = default });
    }

    internal static LiveCallContext Context(string? transferNumber) =>
        new(CallId, "Be brief.", "Hi, this is an AI assistant. This call may be recorded.", [], transferNumber, Guid.NewGuid(), Guid.NewGuid());
}
