using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// What a call does when the voice engine has no capacity (<see cref="RealtimeCapacityException"/>): instead of dead
/// air, the person hears a short apology in the campaign's language through the transport (which then hangs up), a
/// callback is scheduled for the lead, the transcript says why, and every dialer pauses new native-audio calls for as
/// long as the engine expects to be full (<see cref="EngineCapacityBackoff"/>).
/// </summary>
public sealed class EngineAtCapacity(
    CallbackStore callbacks,
    ICallEventSink sink,
    EngineCapacityBackoff backoff,
    IOptions<LiveCallOptions> options,
    TimeProvider time,
    ILogger<EngineAtCapacity> logger)
{
    public async Task HandleAsync(LiveCallContext context, ICallTransport transport, RealtimeCapacityException exception, CancellationToken cancellationToken)
    {
        logger.LogWarning("Call {CallId}: voice engine at capacity ({Reason}); busy line, callback, dialer slowed", context.CallId, exception.Message);
        await backoff.ReportAsync(exception.RetryAfter);
        try
        {
            await transport.CarryOutAsync(new SayAndHangUp(LiveCallPrompts.Busy(context.Language), context.Language), cancellationToken);
        }
        catch (Exception failure) when (failure is HttpRequestException or InvalidOperationException)
        {
            logger.LogWarning(failure, "Call {CallId}: could not play the busy line", context.CallId);
        }

        var note = "Voice model at capacity (shared rate limit): the caller heard the busy line";
        if (context.LeadId is { } leadId)
        {
            var at = time.GetUtcNow() + options.Value.CapacityCallbackDelay;
            try
            {
                await callbacks.ScheduleAsync(leadId, context.CallId, at, "Voice model was at capacity when this call connected", cancellationToken);
                note += $"; callback scheduled for {at:u}";
            }
            catch (InvalidOperationException failure)
            {
                logger.LogInformation("Call {CallId}: no callback after the busy line: {Reason}", context.CallId, failure.Message);
                note += "; no callback (lead erased or on the do-not-call list)";
            }
        }

        await sink.AppendTurnAsync(new CallTurn
        {
            CallId = context.CallId,
            Seq = 0,
            Speaker = CallSpeakers.System,
            Text = note + ".",
            StartedAt = time.GetUtcNow(),
            EndedAt = time.GetUtcNow(),
        }, cancellationToken);
    }
}
