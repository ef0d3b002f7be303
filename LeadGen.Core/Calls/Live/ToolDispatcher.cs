using System.Text.Json.Nodes;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Runs the engine's tool calls for one call. Data tools run through the <see cref="ILiveCallToolExecutor"/>;
/// <c>end_call</c> and <c>transfer_to_human</c> also ask for a call action, carried out once the agent's last words
/// have played. A failing tool never takes the call down: the engine hears that it failed and carries on.
/// </summary>
public sealed class ToolDispatcher(LiveCallContext context, ILiveCallToolExecutor tools, bool canTransfer, ILogger logger)
{
    public const string EndCallTool = QualificationTools.EndCall;
    public const string TransferTool = QualificationTools.TransferToHuman;
    public const string DoNotCallTool = QualificationTools.MarkDoNotCall;

    public async Task<ToolDispatch> DispatchAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var results = new List<RealtimeToolResult>(calls.Count);
        var notes = new List<string>(calls.Count);
        CallIntent? action = null;
        foreach (var call in calls)
        {
            JsonObject response;
            switch (call.Name)
            {
                case EndCallTool:
                    await ExecuteAsync(call, cancellationToken); // records the outcome
                    action = new HangUp();
                    response = new JsonObject { ["ok"] = true, ["note"] = "The call ends after your goodbye has played." };
                    break;
                case TransferTool when canTransfer && context.TransferNumber is { Length: > 0 } number:
                    await ExecuteAsync(call, cancellationToken);
                    action = new TransferToHuman(number);
                    response = new JsonObject { ["ok"] = true, ["note"] = "Tell the caller you are connecting them now; the transfer starts when you finish." };
                    break;
                case TransferTool:
                    response = new JsonObject { ["ok"] = false, ["error"] = "No human is available to take this call; offer to schedule a callback." };
                    break;
                default:
                    response = await ExecuteAsync(call, cancellationToken);
                    break;
            }

            notes.Add($"{call.Name} {call.Arguments.ToJsonString()} → {response.ToJsonString()}");
            results.Add(new RealtimeToolResult(call.Id, call.Name, response));
        }

        return new ToolDispatch(results, notes, action);
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
public sealed record ToolDispatch(IReadOnlyList<RealtimeToolResult> Results, IReadOnlyList<string> Notes, CallIntent? Action);
