using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using Npgsql;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Applies provider call events to the calls table: finds (or, for inbound calls, creates) the call, maps Twilio's
/// statuses, moves the status forward only, and in the same transaction as a call's final status moves its lead on
/// (<see cref="LeadLifecycle"/>) and, when it completed, enqueues its <c>analyze-call</c> job (outbox).
/// </summary>
public sealed class CallLifecycle(
    NpgsqlDataSource dataSource, CallStore calls, CampaignStore campaigns, LeadStore leads, LeadLifecycle leadLifecycle, IJobOutbox outbox, Reporting.OutcomeMetrics outcomes, TimeProvider time)
{
    /// <summary>The call a webhook is about: by our id (outbound, in the URL) or by provider call id; inbound calls are created.</summary>
    public async Task<Call?> ResolveAsync(Guid? callId, string provider, string? providerCallId, string? from, string? to, string? direction, CancellationToken cancellationToken)
    {
        if (callId is { } id)
        {
            var call = await calls.GetAsync(id, cancellationToken);
            if (call is not null && call.ProviderCallId is null && providerCallId is not null)
            {
                await calls.SetProviderCallIdAsync(id, providerCallId, cancellationToken);
            }

            return call;
        }

        if (providerCallId is null)
        {
            return null;
        }

        var existing = await calls.GetByProviderCallIdAsync(provider, providerCallId, cancellationToken);
        if (existing is not null || direction != "inbound")
        {
            return existing;
        }

        // The caller's lead: a number can be a lead in several campaigns, and the campaign whose caller ID they dialled
        // (To) is the one they are calling back about; otherwise their most recent lead. An unknown caller gets a call
        // without a lead (tied to the dialled campaign when there is one) and a neutral agent that records nothing.
        var campaign = to is null ? null : await campaigns.FindByCallerIdAsync(to, cancellationToken);
        var matches = from is null ? [] : await leads.FindByPhoneAsync(from, cancellationToken);
        var lead = matches.FirstOrDefault(candidate => candidate.CampaignId == campaign?.Id) ?? (matches.Count > 0 ? matches[^1] : null);
        try
        {
            return await calls.CreateAsync(new NewCall
            {
                Direction = CallDirections.Inbound,
                Provider = provider,
                ProviderCallId = providerCallId,
                FromNumber = from,
                ToNumber = to,
                LeadId = lead?.Id,
                CampaignId = lead?.CampaignId ?? campaign?.Id,
                Status = CallStatuses.Ringing,
            }, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Twilio's voice and status webhooks for a new inbound call can arrive together: the other one created it.
            return await calls.GetByProviderCallIdAsync(provider, providerCallId, cancellationToken);
        }
    }

    /// <summary>
    /// Records an answering-machine detection result on the call (who answered and, for machines, the disposition) in
    /// one transaction and returns what to do with the live call; null when <paramref name="answeredBy"/> is not one of
    /// Twilio's values (nothing written).
    /// </summary>
    public async Task<AnsweringMachineDecision?> ApplyAnsweringMachineResultAsync(Call call, string? answeredBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var campaign = call.CampaignId is { } campaignId ? await campaigns.GetAsync(campaignId, cancellationToken) : null;
        // A machine result that already acted (voicemail left or hang-up requested) leaves the call alone when it comes
        // again (a retried or duplicated callback), as it does once the call has ended.
        var alreadyActed = call.AnsweredBy == "machine" && call.Disposition is CallDispositions.Voicemail or CallDispositions.Fax;
        var decision = AnsweringMachineDetection.Decide(answeredBy, campaign, callEnded: alreadyActed || CallStatuses.Final.Contains(call.Status));
        if (decision is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await calls.SetAnsweredByAsync(call.Id, decision.AnsweredBy, cancellationToken, transaction);
        if (decision.Disposition is { } disposition)
        {
            await calls.RecordOutcomeAsync(call.Id, new CallOutcome { Disposition = disposition }, cancellationToken, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    public async Task<CallStatusChange?> ApplyStatusAsync(Guid callId, string status, int? durationSeconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var change = await ApplyAsync(transaction, callId, new CallStatusUpdate
        {
            Status = status,
            AnsweredAt = status == CallStatuses.InProgress ? now : null,
            EndedAt = CallStatuses.Final.Contains(status) ? now : null,
            DurationSeconds = durationSeconds,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return change;
    }

    /// <summary>
    /// A status event in the caller's transaction (webhooks, the place-call job, the reaper): the call's status moves
    /// forward only; the event that makes it final also moves an outbound call's lead on and, for a completed call,
    /// enqueues its analysis.
    /// </summary>
    public async Task<CallStatusChange?> ApplyAsync(NpgsqlTransaction transaction, Guid callId, CallStatusUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var change = await calls.UpdateStatusAsync(callId, update, cancellationToken, transaction);
        if (change is not { BecameFinal: true })
        {
            return change;
        }

        outcomes.CallsEnded.Add(1, new("status", change.Current), new("direction", change.Direction));

        if (change.LeadId is { } leadId && change.Direction == CallDirections.Outbound)
        {
            await leadLifecycle.AfterCallEndedAsync(transaction, leadId, callId, change.Current, cancellationToken);
        }

        if (change.Current == CallStatuses.Completed)
        {
            // One analysis per call however often the provider repeats the callback: the job id derives from the call.
            await outbox.EnqueueAsync(transaction, JobTypes.AnalyzeCall, new AnalyzeCallJob(callId), AnalysisJobId(callId), cancellationToken);
        }

        return change;
    }

    /// <summary>
    /// With no voice model the voice webhook answers with a spoken notice and hangs up; the call (already resolved or
    /// created) records why, so the attempt leaves a trace.
    /// </summary>
    public async Task RecordNotConnectedAsync(Guid callId, string reason, CancellationToken cancellationToken) =>
        await calls.UpdateStatusAsync(callId, new CallStatusUpdate { Status = CallStatuses.Initiated, Error = reason }, cancellationToken);

    public static Guid AnalysisJobId(Guid callId) => DeterministicJobId.For($"{JobTypes.AnalyzeCall}:{callId:N}");
}
