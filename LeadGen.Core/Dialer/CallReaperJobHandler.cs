using LeadGen.Core.Calls;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>Payload of a <c>reap-calls</c> job (scheduled every <see cref="CallReaperOptions.Interval"/>).</summary>
public sealed record ReapCallsJob;

/// <summary>
/// The <c>reap-calls</c> job: no call stays open forever. Live calls that had no event past their status's bound
/// (<see cref="CallReaperOptions"/>) are settled, asking the provider for the real status where it can:
/// - the provider says the call ended → that final status (and duration) is applied;
/// - the provider says it is still live past the bound → it is hung up and ended (completed if it was answered,
///   otherwise canceled);
/// - the provider does not know the call (or it was never handed to one) → failed, or canceled if never dialled.
/// Every ending goes through <see cref="CallLifecycle"/>, so the lead moves on in the same transaction (rule 1).
/// A provider that cannot be reached leaves the call for the next run.
/// </summary>
public sealed class CallReaperJobHandler(
    CallStore calls,
    CallLifecycle lifecycle,
    ITelephonyProvider telephony,
    IOptions<CallReaperOptions> options,
    DialerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<CallReaperJobHandler> logger) : JobHandler<ReapCallsJob>
{
    protected override async Task HandleAsync(ReapCallsJob payload, JobContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var bounds = settings.Bounds();
        var stale = await calls.ListStaleAsync(bounds, settings.BatchSize, context.Transaction, cancellationToken);
        foreach (var call in stale)
        {
            var bound = bounds[call.Status];
            ProviderCallStatus? known = null;
            if (call.ProviderCallId is { } providerCallId && call.Provider == telephony.Name)
            {
                try
                {
                    known = await telephony.GetCallStatusAsync(providerCallId, cancellationToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Call reaper: could not ask {Provider} about call {CallId}; trying again next run", telephony.Name, call.Id);
                    continue;
                }
            }

            CallStatusUpdate? ending;
            try
            {
                ending = await EndingAsync(context.Transaction, call, known, bound, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Call reaper: {Provider} could not hang up call {CallId}; trying again next run", telephony.Name, call.Id);
                continue;
            }

            if (ending is null)
            {
                continue;
            }

            await lifecycle.ApplyAsync(context.Transaction, call.Id, ending, cancellationToken);
            telemetry.CallsReaped.Add(1, new KeyValuePair<string, object?>("leadgen.call.status", call.Status));
            logger.LogWarning(
                "Call reaper: call {CallId} had no event for {Bound} while {Status}; ended as {Final} ({Reason})",
                call.Id, bound, call.Status, ending.Status, ending.Error);
        }
    }

    /// <summary>The status update that ends the call, or null when the provider moved it forward but not to an end.</summary>
    private async Task<CallStatusUpdate?> EndingAsync(NpgsqlTransaction transaction, Call call, ProviderCallStatus? known, TimeSpan bound, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (known is null)
        {
            var neverDialled = call.Status == CallStatuses.Queued;
            return new CallStatusUpdate
            {
                Status = neverDialled ? CallStatuses.Canceled : CallStatuses.Failed,
                EndedAt = now,
                Error = neverDialled
                    ? $"Not dialled: still queued after {bound}; ended by the call reaper."
                    : $"No provider event for {bound} while {call.Status}, and the provider ({call.Provider}) does not know the call; ended by the call reaper.",
            };
        }

        if (CallStatuses.Final.Contains(known.Status))
        {
            return new CallStatusUpdate
            {
                Status = known.Status,
                EndedAt = now,
                DurationSeconds = known.DurationSeconds,
                Error = $"No status callback arrived for {bound}; the final status was fetched from the provider by the call reaper.",
            };
        }

        if (CallStatuses.Rank(known.Status) > CallStatuses.Rank(call.Status) && known.Status != CallStatuses.InProgress)
        {
            // Progress we missed (e.g. ringing): record it; the bound of the new status applies from now.
            await calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = known.Status }, cancellationToken, transaction);
            return null;
        }

        // Still live at the provider with no event past the bound (in progress: no media): end it there and here.
        await telephony.HangUpAsync(call.ProviderCallId!, cancellationToken);
        var answered = call.Status == CallStatuses.InProgress || known.Status == CallStatuses.InProgress;
        return new CallStatusUpdate
        {
            Status = answered ? CallStatuses.Completed : CallStatuses.Canceled,
            EndedAt = now,
            Error = $"No event for {bound} while {call.Status} (the provider said {known.Status}); hung up by the call reaper.",
        };
    }
}
