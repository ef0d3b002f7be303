namespace LeadGen.Core.Agent;

/// <summary>Who the agent is talking to: the lead, its campaign, and the call (a phone call or a text conversation).</summary>
public sealed record AgentContext(Guid LeadId, Guid CampaignId, Guid CallId);
