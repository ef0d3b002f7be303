using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>What a live call needs to know before the first word: prompt, opening line, tools, where to transfer.</summary>
public interface ICallContextProvider
{
    Task<LiveCallContext> LoadAsync(Guid callId, CancellationToken cancellationToken);
}

/// <param name="OpeningLine">Said first, verbatim; must disclose the AI and the recording.</param>
/// <param name="LeadId">The lead and campaign the call's tools act on, loaded once with the call (null: unknown caller).</param>
/// <param name="Language">The campaign's language: the model speaks it and transcribes in it.</param>
/// <param name="Voice">The campaign's voice for the engine; null for its default.</param>
/// <param name="TurnTaking">The campaign's turn-taking; null for the phone defaults.</param>
public sealed record LiveCallContext(
    Guid CallId,
    string SystemInstruction,
    string OpeningLine,
    IReadOnlyList<RealtimeToolDeclaration> Tools,
    string? TransferNumber,
    Guid? LeadId = null,
    Guid? CampaignId = null,
    string Language = "en-US",
    string? Voice = null,
    RealtimeTurnTaking? TurnTaking = null);

/// <summary>Runs the agent's data tools (record_lead_details, schedule_callback, mark_do_not_call, …) for a live call.</summary>
public interface ILiveCallToolExecutor
{
    Task<JsonObject> ExecuteAsync(LiveCallContext context, RealtimeToolCall toolCall, CancellationToken cancellationToken);
}

/// <summary>
/// Where a live call's facts go: connection, transcript turns, token usage. Its end (status, duration, analysis job)
/// comes from the provider's status callback through <see cref="Telephony.CallLifecycle"/>, not from the stream.
/// </summary>
public interface ICallEventSink
{
    Task StreamStartedAsync(Guid callId, string? providerCallId, DateTimeOffset at, CancellationToken cancellationToken);

    Task AppendTurnAsync(CallTurn turn, CancellationToken cancellationToken);

    /// <summary>Tokens the engine reported (one model turn's worth), added to the call's totals.</summary>
    Task AddUsageAsync(Guid callId, EngineUsage usage, CancellationToken cancellationToken) => Task.CompletedTask;
}
