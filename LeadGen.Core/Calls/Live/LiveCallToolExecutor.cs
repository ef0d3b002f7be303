using System.Globalization;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Runs the agent's data tools during a live call against the stores: lead details onto the call (extracted) and the
/// lead (qualification), callbacks, do-not-call, and the outcome of end_call / transfer_to_human.
/// PARTIAL: mirrors what the text agent's tools do; should delegate to issue 5's tool executor once it exists.
/// </summary>
public sealed class LiveCallToolExecutor(CallStore calls, LeadStore leads, CallbackStore callbacks, DoNotCallRegistry doNotCall) : ILiveCallToolExecutor
{
    public async Task<JsonObject> ExecuteAsync(Guid callId, RealtimeToolCall toolCall, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(callId, cancellationToken)
            ?? throw new InvalidOperationException($"Call {callId} does not exist.");
        var arguments = toolCall.Arguments;
        switch (toolCall.Name)
        {
            case LiveCallTools.RecordLeadDetails:
                await calls.RecordOutcomeAsync(callId, new CallOutcome { Extracted = (JsonObject)arguments.DeepClone() }, cancellationToken);
                if (call.LeadId is { } leadId)
                {
                    // Named fields first, then the answers keyed by the campaign's question keys (those win on a clash).
                    var answers = new JsonObject();
                    foreach (var (key, value) in arguments)
                    {
                        if (key != "answers" && value is not null)
                        {
                            answers[key] = value.DeepClone();
                        }
                    }

                    if (arguments["answers"] is JsonObject given)
                    {
                        foreach (var (key, value) in given)
                        {
                            answers[key] = value?.DeepClone();
                        }
                    }

                    await leads.RecordQualificationAsync(leadId, null, answers, null, cancellationToken);
                }

                return Ok();
            case LiveCallTools.ScheduleCallback:
                if (call.LeadId is not { } callbackLead
                    || !DateTimeOffset.TryParse(arguments["when"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                {
                    return Error("Need a lead and an ISO 8601 'when'.");
                }

                await callbacks.ScheduleAsync(callbackLead, callId, when, arguments["note"]?.GetValue<string>(), cancellationToken);
                await calls.RecordOutcomeAsync(callId, Outcome(new CallOutcome { Disposition = CallDispositions.Callback }), cancellationToken);
                return Ok();
            case CallSession.DoNotCallTool:
                var phone = call.Direction == CallDirections.Outbound ? call.ToNumber : call.FromNumber;
                if (phone is null)
                {
                    return Error("The caller's number is unknown.");
                }

                await doNotCall.AddAsync(phone, arguments["reason"]?.GetValue<string>(), "call", cancellationToken);
                await calls.RecordOutcomeAsync(callId, Outcome(new CallOutcome { Disposition = CallDispositions.DoNotCall }), cancellationToken);
                return Ok();
            case CallSession.EndCallTool:
                var outcome = arguments["outcome"]?.GetValue<string>();
                await calls.RecordOutcomeAsync(callId, Outcome(new CallOutcome { Disposition = outcome is { Length: > 0 and <= 50 } ? outcome : null }), cancellationToken);
                return Ok();
            case CallSession.TransferTool:
                await calls.RecordOutcomeAsync(callId, Outcome(new CallOutcome { Disposition = CallDispositions.Transferred }), cancellationToken);
                return Ok();
            default:
                return Error($"Unknown tool '{toolCall.Name}'.");
        }
    }

    /// <summary>CallStore merges <c>extracted</c>; an absent value must be an empty object, not JSON null.</summary>
    private static CallOutcome Outcome(CallOutcome outcome) => outcome with { Extracted = outcome.Extracted ?? [] };

    private static JsonObject Ok() => new() { ["ok"] = true };

    private static JsonObject Error(string message) => new() { ["ok"] = false, ["error"] = message };
}
