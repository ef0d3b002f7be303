using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Adds the engine's token reports to the call as they come, one after another and off the engine's read loop; a
/// failed write is logged, never fatal. <see cref="DisposeAsync"/> waits for the last one.
/// </summary>
public sealed class UsageWriter(Guid callId, ICallEventSink sink, ILogger logger) : IAsyncDisposable
{
    private Task _writes = Task.CompletedTask;

    /// <summary>Called from the engine's read loop only (one at a time).</summary>
    public void Add(EngineUsage usage) => _writes = WriteAsync(_writes, usage);

    public ValueTask DisposeAsync() => new(_writes);

    private async Task WriteAsync(Task previous, EngineUsage usage)
    {
        await previous;
        try
        {
            await sink.AddUsageAsync(callId, usage, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Call {CallId}: could not store token usage", callId);
        }
    }
}
