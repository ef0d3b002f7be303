using LeadGen.Core.Calls;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>
/// Queues one outbound call: the call row, the lead moved to <c>queued</c>, and the <c>place-call</c> job, all in the
/// caller's transaction. It takes an <see cref="EligibleLead"/>, which only the eligibility policy can make: there is
/// no way to schedule a call for a lead the policy did not accept.
/// </summary>
public sealed class CallScheduler(CallStore calls, LeadStore leads, IJobOutbox outbox, TimeProvider timeProvider)
{
    /// <returns>The new call's id, or null when the lead changed status meanwhile (nothing written).</returns>
    public async Task<Guid?> ScheduleAsync(
        NpgsqlTransaction transaction, EligibleLead lead, DialerCampaign campaign, string provider, string? defaultCallerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(campaign);
        if (!await leads.TryTransitionAsync(lead.LeadId, [lead.Lead.Status], LeadStatuses.Queued, cancellationToken, transaction))
        {
            return null;
        }

        var callId = Guid.CreateVersion7(timeProvider.GetUtcNow());
        await calls.CreateAsync(new NewCall
        {
            Id = callId,
            LeadId = lead.LeadId,
            CampaignId = campaign.Id,
            Direction = CallDirections.Outbound,
            Provider = provider,
            FromNumber = campaign.CallerId ?? defaultCallerId,
            ToNumber = lead.Phone,
            Status = CallStatuses.Queued,
        }, cancellationToken, transaction);
        await outbox.EnqueueAsync(transaction, JobTypes.PlaceCall, new PlaceCallJob(callId, lead.LeadId, lead.Lead.Status), cancellationToken);
        return callId;
    }
}
