using System.Text.Json.Nodes;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Runs the engine's tool calls for one call. Data tools run through the <see cref="ILiveCallToolExecutor"/>;
/// <c>end_call</c> and <c>transfer_to_human</c> also ask for a call action, carried out once the agent's last words
/// have played. The tools with lasting effects (<see cref="Withdrawable"/>: end_call's outcome, transfer, do-not-call)
/// are answered at once but carried out only by <see cref="CommitAsync"/> — once the model's turn is final — so a tool
/// call the model withdraws (<c>toolCallCancellation</c>, after a barge-in) has no effect. A failing tool never takes
/// the call down: the engine hears that it failed and carries on.
/// </summary>
public sealed class ToolDispatcher(LiveCallContext context, ILiveCallToolExecutor tools, bool canTransfer, ILogger logger)
{
    public const string EndCallTool = QualificationTools.EndCall;
    public const string TransferTool = QualificationTools.TransferToHuman;
    public const string DoNotCallTool = QualificationTools.MarkDoNotCall;

    /// <summary>Tools whose effect waits until the model's turn can no longer be withdrawn.</summary>
    public static IReadOnlySet<string> Withdrawable { get; } = new HashSet<string>(StringComparer.Ordinal) { EndCallTool, TransferTool, DoNotCallTool };

    public async Task<ToolDispatch> DispatchAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var results = new List<RealtimeToolResult>(calls.Count);
        var notes = new List<string>(calls.Count);
        CallIntent? action = null;
        string? actionCallId = null;
        var deferred = new List<RealtimeToolCall>();
        foreach (var call in calls)
        {
            JsonObject response;
            switch (call.Name)
            {
                case EndCallTool:
                    deferred.Add(call); // records the outcome once the turn is final
                    (action, actionCallId) = (new HangUp(), call.Id);
                    response = new JsonObject { ["ok"] = true, ["note"] = "The call ends after your goodbye has played." };
                    break;
                case TransferTool when canTransfer && context.TransferNumber is { Length: > 0 } number:
                    deferred.Add(call);
                    (action, actionCallId) = (new TransferToHuman(number), call.Id);
                    response = new JsonObject { ["ok"] = true, ["note"] = "Tell the caller you are connecting them now; the transfer starts when you finish." };
                    break;
                case TransferTool:
                    response = new JsonObject { ["ok"] = false, ["error"] = "No human is available to take this call; offer to schedule a callback." };
                    break;
                case DoNotCallTool:
                    deferred.Add(call);
                    response = new JsonObject { ["ok"] = true, ["note"] = "Recorded: they will not be called again." };
                    break;
                default:
                    response = await ExecuteAsync(call, cancellationToken);
                    break;
            }

            notes.Add($"{call.Name} {call.Arguments.ToJsonString()} → {response.ToJsonString()}");
            results.Add(new RealtimeToolResult(call.Id, call.Name, response));
        }

        return new ToolDispatch(results, notes, action, actionCallId, deferred);
    }

    /// <summary>Carries out withdrawable tool calls whose turn is final; returns a transcript note per call.</summary>
    public async Task<IReadOnlyList<string>> CommitAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var notes = new List<string>(calls.Count);
        foreach (var call in calls)
        {
            var result = await ExecuteAsync(call, cancellationToken);
            notes.Add($"{call.Name} carried out → {result.ToJsonString()}");
        }

        return notes;
    }

    /// <summary>The person asked (keypad) not to be called again: recorded like the agent's own mark_do_not_call.</summary>
    /// <returns>The transcript note saying whether it was stored.</returns>
    public async Task<string> OptOutAsync(string reason, CancellationToken cancellationToken)
    {
        var recorded = await ExecuteAsync(new RealtimeToolCall("keypad-opt-out", DoNotCallTool, new JsonObject { ["reason"] = reason }), cancellationToken);
        return recorded["error"] is null
            ? "Caller pressed 9: opted out; number added to the do-not-call list."
            : "Caller pressed 9 to opt out, but storing it failed: add the number to the do-not-call list by hand.";
    }

    private async Task<JsonObject> ExecuteAsync(RealtimeToolCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await tools.ExecuteAsync(context, call, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Call {CallId}: tool {Tool} failed", context.CallId, call.Name);
            return new JsonObject { ["ok"] = false, ["error"] = "The tool failed; continue without it." };
        }
    }
}

/// <param name="Notes">One transcript line per call (what was asked, what came back), stored as a tool turn.</param>
/// <param name="Action">The call action the tools asked for, to carry out after the agent's last words.</param>
/// <param name="ActionCallId">The tool call that asked for <paramref name="Action"/>.</param>
/// <param name="Deferred">Answered but not yet carried out: for <see cref="ToolDispatcher.CommitAsync"/> unless withdrawn.</param>
public sealed record ToolDispatch(
    IReadOnlyList<RealtimeToolResult> Results,
    IReadOnlyList<string> Notes,
    CallIntent? Action,
    string? ActionCallId = null,
    IReadOnlyList<RealtimeToolCall>? Deferred = null);
