using System.Text.Json.Nodes;
using LeadGen.Core.Calls;

namespace LeadGen.Core.Agent.Conversations;

public enum ConversationError
{
    None,
    NotFound,
    Conflict,
    Invalid,
    EngineFailed,
}

/// <summary>A conversation operation's outcome: a value, or an error kind with a message fit for ProblemDetails.</summary>
public sealed record ConversationResult(ConversationTurnResult? Value, ConversationError Error, string? Message)
{
    public static ConversationResult Ok(ConversationTurnResult value) => new(value, ConversationError.None, null);

    public static ConversationResult Fail(ConversationError error, string message) => new(null, error, message);
}

/// <param name="Engine">"offline", "vertex" or "apikey" — always shown, so offline output is never mistaken for a model's.</param>
/// <remarks>
/// The post-call analysis is not part of a turn: the last turn enqueues it (the Worker's analyze-call job, as for a phone
/// call) and <see cref="ConversationView.Analysis"/> shows it once done.
/// </remarks>
public sealed record ConversationTurnResult(
    Guid ConversationId,
    Guid LeadId,
    Guid? CampaignId,
    string Engine,
    string Model,
    string Reply,
    bool Ended,
    string? Outcome,
    IReadOnlyList<string> ToolCalls,
    string? Degraded);

/// <param name="Analysis">The post-call analysis once the Worker's analyze-call job has run; null until then.</param>
public sealed record ConversationView(
    Guid ConversationId,
    Guid? LeadId,
    Guid? CampaignId,
    string Status,
    string? Disposition,
    string? Model,
    bool Ended,
    IReadOnlyList<CallTurn> Transcript,
    JsonObject? Analysis);
