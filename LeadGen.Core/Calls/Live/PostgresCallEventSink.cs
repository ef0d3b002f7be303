using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>Stores a live call's facts with the call store: in progress when the stream starts, then each transcript turn.</summary>
public sealed class PostgresCallEventSink(CallStore calls) : ICallEventSink
{
    public async Task StreamStartedAsync(Guid callId, string? providerCallId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await calls.UpdateStatusAsync(callId, new CallStatusUpdate { Status = CallStatuses.InProgress, StartedAt = at, AnsweredAt = at }, cancellationToken);
    }

    public Task AppendTurnAsync(CallTurn turn, CancellationToken cancellationToken) => calls.AppendTurnAsync(turn, cancellationToken);

    /// <summary>Into the same columns as the text agent's and the analysis's tokens (calls.input_tokens/output_tokens).</summary>
    public Task AddUsageAsync(Guid callId, EngineUsage usage, CancellationToken cancellationToken) =>
        calls.AddTokenUsageAsync(callId, usage.InputTokens, usage.OutputTokens, cancellationToken);
}
