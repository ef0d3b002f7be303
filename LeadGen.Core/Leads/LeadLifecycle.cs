using LeadGen.Core.Calls;
using Npgsql;

namespace LeadGen.Core.Leads;

/// <summary>
/// The one home of the dialer's lead transitions (the SQL is <see cref="LeadStore"/>'s):
/// <code>
/// new / callback ──dialer──▶ queued ──place-call claims──▶ calling ──call ends──▶ (verdict kept) | new / callback (retry) | unreachable
///                            queued ──call cancelled before dialling──▶ back to where it was (no attempt counted)
/// new / queued / callback / unreachable ──operator's test call──▶ calling
/// any but do_not_call ──agent's verdict──▶ qualified / disqualified
/// </code>
/// The agent's verdicts (qualified, disqualified, callback booked, do_not_call) are written during the call by its
/// tools; a lead still <c>calling</c> when its call ends had none, so it is retried after the campaign's spacing — or
/// made unreachable once <c>max_attempts</c> are used. Callers pass their transaction: the lead moves in the same one
/// as the call's final status.
/// </summary>
public sealed class LeadLifecycle(LeadStore leads, TimeProvider time)
{
    /// <summary>Queued → calling, attempt counted (place-call's claim).</summary>
    public Task<bool> StartAttemptAsync(NpgsqlTransaction transaction, Guid leadId, CancellationToken cancellationToken) =>
        leads.StartAttemptAsync(leadId, cancellationToken, transaction);

    /// <summary>A queued call was cancelled before anyone was dialled: the lead returns to its previous status.</summary>
    public Task<bool> ReleaseUndialledAsync(NpgsqlTransaction transaction, Guid leadId, string previousStatus, CancellationToken cancellationToken) =>
        leads.TryTransitionAsync(leadId, [LeadStatuses.Queued], previousStatus, cancellationToken, transaction);

    /// <summary>The statuses an operator's test call (browser voice or text conversation) may start from.</summary>
    public static IReadOnlyList<string> OperatorStartable { get; } = [LeadStatuses.New, LeadStatuses.Queued, LeadStatuses.Callback, LeadStatuses.Unreachable];

    /// <summary>The statuses an agent's verdict (qualified, disqualified) may replace: never an opt-out.</summary>
    public static IReadOnlyList<string> VerdictReplaceable { get; } =
        [LeadStatuses.New, LeadStatuses.Queued, LeadStatuses.Calling, LeadStatuses.Callback, LeadStatuses.Unreachable, LeadStatuses.Qualified, LeadStatuses.Disqualified];

    /// <summary>An operator's test call starts: <see cref="OperatorStartable"/> → calling (no attempt counted).</summary>
    public Task<bool> StartOperatorCallAsync(NpgsqlTransaction transaction, Guid leadId, CancellationToken cancellationToken) =>
        leads.TryTransitionAsync(leadId, OperatorStartable, LeadStatuses.Calling, cancellationToken, transaction);

    /// <summary>The agent's verdict (qualified or disqualified), unless the lead opted out meanwhile.</summary>
    public Task<bool> RecordVerdictAsync(NpgsqlTransaction transaction, Guid leadId, string verdict, CancellationToken cancellationToken) =>
        leads.TryTransitionAsync(leadId, VerdictReplaceable, verdict, cancellationToken, transaction);

    /// <summary>
    /// Moves the lead of a call that just reached <paramref name="finalStatus"/> (see <see cref="Decide"/>); returns the
    /// lead's new status, or null when it stays as it is.
    /// </summary>
    public async Task<string?> AfterCallEndedAsync(NpgsqlTransaction transaction, Guid leadId, Guid callId, string finalStatus, CancellationToken cancellationToken)
    {
        var facts = await leads.GetAfterCallFactsAsync(leadId, callId, transaction, cancellationToken);
        if (facts is null || Decide(facts, finalStatus, time.GetUtcNow()) is not { } next)
        {
            return null;
        }

        return await leads.TryMoveAsync(leadId, facts.Status, next.Status, next.NextAttemptAt, cancellationToken, transaction) ? next.Status : null;
    }

    /// <summary>
    /// The rule, without I/O. Nothing changes when the lead is not queued/calling (the agent reached a verdict, or an
    /// operator moved it) or another call to it is live. A lead still queued was never dialled (no attempt counted): it
    /// is due again at once. A lead in calling: unreachable once its attempts reach the campaign's maximum, else due
    /// after the retry spacing — for a no-answer at another hour of day than the unanswered attempt when the spacing
    /// would land on the same hour — as <c>callback</c> when a booked callback is pending, else <c>new</c>.
    /// </summary>
    public static LeadNextStep? Decide(LeadAfterCallFacts facts, string finalStatus, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.OtherLiveCall || facts.Status is not (LeadStatuses.Queued or LeadStatuses.Calling))
        {
            return null;
        }

        var retryStatus = facts.CallbackBooked ? LeadStatuses.Callback : LeadStatuses.New;
        if (facts.Status == LeadStatuses.Queued)
        {
            return new LeadNextStep(retryStatus, null);
        }

        if (facts.Attempts >= facts.MaxAttempts)
        {
            return new LeadNextStep(LeadStatuses.Unreachable, null);
        }

        var next = now + facts.RetrySpacing;
        if (finalStatus == CallStatuses.NoAnswer && facts.LastAttemptAt is { } unanswered && next.UtcDateTime.Hour == unanswered.UtcDateTime.Hour)
        {
            next += TimeSpan.FromHours(1);
        }

        return new LeadNextStep(retryStatus, next);
    }
}

/// <summary>Where a lead goes next: its status and when it is due (null: now, or never for unreachable).</summary>
public sealed record LeadNextStep(string Status, DateTimeOffset? NextAttemptAt);
