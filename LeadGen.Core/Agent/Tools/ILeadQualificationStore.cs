namespace LeadGen.Core.Agent.Tools;

/// <summary>Where the agent's tools write: the lead, the call, the do-not-call list and callbacks (Postgres).</summary>
public interface ILeadQualificationStore
{
    Task RecordDetailsAsync(AgentContext context, LeadDetails details, CancellationToken cancellationToken);

    Task ScheduleCallbackAsync(AgentContext context, DateTimeOffset at, string? note, CancellationToken cancellationToken);

    Task MarkDoNotCallAsync(AgentContext context, string reason, CancellationToken cancellationToken);

    Task RequestTransferAsync(AgentContext context, string reason, CancellationToken cancellationToken);

    /// <summary>Ends the conversation: the call's disposition and the lead's status follow from the outcome.</summary>
    Task EndAsync(AgentContext context, ConversationOutcome outcome, string? summary, CancellationToken cancellationToken);
}
