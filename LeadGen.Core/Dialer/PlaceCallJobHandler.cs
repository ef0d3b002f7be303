using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>
/// The <c>place-call</c> job. A phone call cannot be rolled back, so this handler never dials twice:
/// 1. In its own transaction, committed before dialling, it re-checks the lead with the eligibility policy (the job
///    may have waited: the window may have closed, the number may be on the DNC list now) and claims the call
///    (queued → initiated, attempt counted); a lead no longer eligible gets its call cancelled instead.
/// 2. It asks the telephony provider to dial, and records the provider's call id in the job's transaction.
/// A run that finds the call already claimed but without a provider id (an earlier run stopped mid-dial) marks the call
/// failed as "outcome unknown" rather than risk calling the person again. A provider error fails the call (the attempt
/// counts); the lead moves on like after any ended call (<see cref="LeadLifecycle"/>: retry after the campaign's
/// spacing, or unreachable). Call and lead writes go through <see cref="CallStore"/>, <see cref="CallLifecycle"/> and
/// <see cref="LeadLifecycle"/>, the homes of those transitions.
/// </summary>
public sealed class PlaceCallJobHandler(
    NpgsqlDataSource dataSource,
    EligibleLeadFinder finder,
    CallStore calls,
    CallLifecycle lifecycle,
    LeadLifecycle leads,
    ITelephonyProvider telephony,
    IOptions<DialerOptions> options,
    IOptions<TelephonyOptions> telephonyOptions,
    DialerTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<PlaceCallJobHandler> logger) : JobHandler<PlaceCallJob>
{
    protected override async Task HandleAsync(PlaceCallJob payload, JobContext context, CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(payload, cancellationToken);
        if (claimed is null)
        {
            return;
        }

        PlaceCallResult result;
        try
        {
            result = await telephony.PlaceCallAsync(new PlaceCallRequest(
                payload.CallId,
                claimed.To,
                claimed.From ?? string.Empty,
                CallbackUrl(TwilioWebhooks.VoicePath, payload.CallId),
                CallbackUrl(TwilioWebhooks.StatusPath, payload.CallId),
                options.Value.DetectAnsweringMachine), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            telemetry.DialFailures.Add(1);
            logger.LogWarning(ex, "The telephony provider could not place call {CallId}", payload.CallId);
            await FailAsync(context.Transaction, payload, $"The telephony provider could not place the call: {ex.Message}", cancellationToken);
            return;
        }

        // The provider's status callbacks may have arrived first (they can beat the create-call response): the status
        // only moves forward, so a callback's newer status is never overwritten by this older one.
        await calls.SetProviderCallIdAsync(payload.CallId, result.ProviderCallId, cancellationToken, context.Transaction);
        await calls.UpdateStatusAsync(payload.CallId, new CallStatusUpdate { Status = DialedStatus(result.Status) }, cancellationToken, context.Transaction);
        telemetry.CallsPlaced.Add(1);
    }

    private sealed record ClaimedCall(string To, string? From);

    /// <summary>Step 1 (committed on its own): returns the call to dial, or null when there is nothing to dial.</summary>
    private async Task<ClaimedCall?> ClaimAsync(PlaceCallJob payload, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();

        var call = await calls.GetForUpdateAsync(payload.CallId, transaction, cancellationToken);
        if (call is null)
        {
            logger.LogWarning("place-call: call {CallId} does not exist; nothing to dial", payload.CallId);
            return null;
        }

        if (call.Status != CallStatuses.Queued)
        {
            if (call.Status == CallStatuses.Initiated && call.ProviderCallId is null && call.Error is null)
            {
                await FailAsync(transaction, payload, "Dial outcome unknown: the worker stopped while dialling; not redialled.", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            return null;
        }

        var campaign = call.CampaignId is { } id ? await DialerCampaign.ReadAsync(transaction, id, forUpdate: false, cancellationToken) : null;
        if (campaign is null || campaign.Status != CampaignStatuses.Running)
        {
            await CancelAsync(transaction, payload, "The campaign is no longer running.", IneligibilityReason.StatusNotDialable, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var decision = await finder.RecheckAsync(transaction, payload.LeadId, campaign.Rules, [LeadStatuses.Queued], cancellationToken);
        if (decision is not { IsEligible: true })
        {
            await CancelAsync(transaction, payload, decision?.Detail ?? "The lead no longer exists.", decision?.Reason, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        await calls.ClaimForDialAsync(payload.CallId, cancellationToken, transaction);
        await leads.StartAttemptAsync(transaction, payload.LeadId, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return new ClaimedCall(call.ToNumber ?? string.Empty, call.FromNumber);
    }

    /// <summary>Not dialled: the call is cancelled and the lead returns to its previous status (no attempt counted).</summary>
    private async Task CancelAsync(NpgsqlTransaction transaction, PlaceCallJob payload, string reason, IneligibilityReason? why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await calls.UpdateStatusAsync(payload.CallId, new CallStatusUpdate { Status = CallStatuses.Canceled, Error = "Not dialled: " + reason, EndedAt = now }, cancellationToken, transaction);
        await leads.ReleaseUndialledAsync(transaction, payload.LeadId, payload.PreviousLeadStatus, cancellationToken);
        telemetry.CallsCanceled.Add(1, DialerTelemetry.ReasonTag(why));
        logger.LogInformation("Call {CallId} cancelled before dialling: {Reason}", payload.CallId, reason);
    }

    /// <summary>The call failed (the attempt counts); the lead moves on as after any ended call (retry or unreachable).</summary>
    private async Task FailAsync(NpgsqlTransaction transaction, PlaceCallJob payload, string error, CancellationToken cancellationToken)
    {
        await lifecycle.ApplyAsync(transaction, payload.CallId, new CallStatusUpdate
        {
            Status = CallStatuses.Failed,
            Error = error,
            EndedAt = timeProvider.GetUtcNow(),
        }, cancellationToken);
        await calls.RecordOutcomeAsync(payload.CallId, new CallOutcome { Disposition = CallDispositions.Failed }, cancellationToken, transaction);
    }

    /// <summary>The webhook URLs come from <see cref="TwilioWebhooks.Url"/>, the one place that knows those paths.</summary>
    private Uri CallbackUrl(string path, Guid callId)
    {
        // Without PublicBaseUrl (local runs with the recording provider) the URL only has to be well-formed.
        var telephony = telephonyOptions.Value.PublicBaseUrl is null
            ? new TelephonyOptions { PublicBaseUrl = new Uri("http://localhost") }
            : telephonyOptions.Value;
        return TwilioWebhooks.Url(telephony, path, callId);
    }

    /// <summary>The create-call answer moves a call no further than in progress: final statuses come with their callbacks.</summary>
    private static string DialedStatus(string providerStatus) => TwilioCallStatus.ToCallStatus(providerStatus) switch
    {
        CallStatuses.Ringing => CallStatuses.Ringing,
        CallStatuses.InProgress => CallStatuses.InProgress,
        _ => CallStatuses.Initiated,
    };
}
