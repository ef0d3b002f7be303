using Microsoft.Extensions.AI;

namespace LeadGen.Core.Agent;

/// <param name="Text">What the agent says.</param>
/// <param name="ToolCalls">Tools the agent called during this turn, in order.</param>
/// <param name="Usage">Model tokens this turn used (null offline).</param>
/// <param name="Degraded">Why the reply is a holding line instead of the model's answer (e.g. "rate_limited"), else null.</param>
public sealed record AgentReply(string Text, IReadOnlyList<FunctionCallContent> ToolCalls, UsageDetails? Usage, string? Degraded = null);
