namespace LeadGen.Core.Dialer;

/// <summary>Payload of a <c>dialer</c> job: pick and schedule calls for one campaign.</summary>
public sealed record DialerJob(Guid CampaignId);

/// <summary>Payload of a <c>place-call</c> job.</summary>
/// <param name="CallId">The queued call (calls.id) to dial.</param>
/// <param name="LeadId">Its lead.</param>
/// <param name="PreviousLeadStatus">The lead's status before the dialer queued it, restored if the call is cancelled.</param>
public sealed record PlaceCallJob(Guid CallId, Guid LeadId, string PreviousLeadStatus);
