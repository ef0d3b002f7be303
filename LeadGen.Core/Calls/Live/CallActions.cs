using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// What the agent (or the caller's keypad) asked the call to do, and when it takes effect: tool calls are dispatched at
/// once; those the model may still take back (<see cref="WithdrawableTools"/>) take effect when its generation or turn
/// is final; a call action (hang up, transfer) waits in <see cref="PendingCallAction"/> until the goodbye turn
/// (<see cref="CallTurns.GoodbyeTurn"/>) has been heard — or runs at once when the model has finished and nothing of the
/// agent's audio is left to play. Every effect leaves a note in the transcript.
/// </summary>
internal sealed class CallActions(CallTurns turns, ToolDispatcher tools, PendingCallAction pending, bool audioEngine, ILogger logger, Guid callId, CancellationToken callEnded)
{
    private readonly WithdrawableTools _withdrawable = new(tools);
    private int _afterTurn; // the pending action waits for this agent turn (or a later one) to be heard
    private bool _awaitsGeneration; // a call action was asked for and its tool results sent

    /// <summary>Runs the model's tool calls; returns the results the engine must hear.</summary>
    public async Task<IReadOnlyList<RealtimeToolResult>> DispatchAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var dispatch = await tools.DispatchAsync(calls, cancellationToken);
        if (dispatch.Action is { } action)
        {
            Set(action, agentAsked: true, dispatch.ActionCallId);
        }

        _withdrawable.Add(dispatch.Deferred);
        turns.Tools(dispatch.Notes);
        _awaitsGeneration = dispatch.Action is not null;
        return dispatch.Results;
    }

    /// <summary>The caller opted out by keypad: do-not-call now, hang up after the agent's acknowledgement.</summary>
    public async Task OptOutAsync(string reason, CancellationToken cancellationToken)
    {
        turns.System(await tools.OptOutAsync(reason, cancellationToken));
        Set(new HangUp(), agentAsked: false);
    }

    /// <summary>Hang up once the agent's next words have been heard (the line stayed silent).</summary>
    public void HangUpAfterGoodbye(string reason) => Set(new HangUp(reason), agentAsked: false);

    /// <summary>
    /// The model finished generating: its tool calls can no longer be withdrawn, so they take effect now. If a call
    /// action waits and the agent has nothing left to play (it said goodbye before calling end_call), it runs now
    /// instead of waiting out <see cref="PendingCallAction.Timeout"/>.
    /// </summary>
    public async ValueTask GenerationFinishedAsync(CancellationToken cancellationToken)
    {
        await CommitAsync(cancellationToken);
        var runNow = _awaitsGeneration && audioEngine && !turns.AgentAudioUnheard;
        _awaitsGeneration = false;
        if (runNow)
        {
            await pending.RunAsync(cancellationToken);
        }
    }

    /// <summary>An agent turn has played out (it is final). Returns true when that ran the call action (the call is ending).</summary>
    public async ValueTask<bool> AgentTurnHeardAsync(int turn, CancellationToken cancellationToken)
    {
        var reached = turn >= Volatile.Read(ref _afterTurn);
        if (reached && pending.IsPending)
        {
            await CommitAsync(cancellationToken);
        }

        return reached && await pending.RunAsync(cancellationToken);
    }

    /// <summary>The model took tool calls back (the caller cut in): they never take effect, nor does their call action.</summary>
    public void Withdraw(IReadOnlyList<string> ids)
    {
        var withdrawnAction = pending.Withdraw(ids);
        var withdrawn = _withdrawable.Withdraw(ids);
        turns.System($"model withdrew tool call(s) {string.Join(", ", ids)}: {withdrawn} not carried out{(withdrawnAction ? ", call action dropped" : string.Empty)}");
        logger.LogInformation("Call {CallId}: model withdrew tool calls {Ids}", callId, string.Join(", ", ids));
    }

    /// <summary>What the model asked for and did not withdraw takes effect (also when the person left mid-turn: a do-not-call above all).</summary>
    public async ValueTask CommitAsync(CancellationToken cancellationToken) =>
        turns.Tools(await _withdrawable.CommitAsync(cancellationToken));

    private void Set(CallIntent intent, bool agentAsked, string? toolCallId = null)
    {
        Volatile.Write(ref _afterTurn, turns.GoodbyeTurn(agentAsked));
        pending.Set(intent, callEnded, toolCallId);
    }
}
