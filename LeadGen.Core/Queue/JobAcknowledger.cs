using System.Threading.Channels;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Acknowledges (XACK + XDEL) committed jobs of one type in batches: whatever finished since the last call goes in one
/// script call. A job is handed over only after its transaction committed; if the process dies before the batch is
/// sent, the entries stay pending, are reclaimed, and their idempotency marker turns the rerun into a plain ack.
/// </summary>
internal sealed class JobAcknowledger(string jobType, RedisJobStreams streams, ILogger logger)
{
    private const int MaxBatch = 256;
    private readonly Channel<RedisValue> _pending = Channel.CreateUnbounded<RedisValue>(new UnboundedChannelOptions { SingleReader = true });

    public void Acknowledge(RedisValue entryId) => _pending.Writer.TryWrite(entryId);

    /// <summary>Sends batches until <see cref="Complete"/> is called and everything handed over is sent (or Redis fails).</summary>
    public async Task RunAsync()
    {
        var batch = new List<RedisValue>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            try
            {
                await streams.AcknowledgeAsync(jobType, batch);
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                logger.LogWarning(ex, "Could not acknowledge {Count} committed {JobType} job(s); they will be reclaimed and acknowledged as already processed", batch.Count, jobType);
            }

            batch.Clear();
        }
    }

    public void Complete() => _pending.Writer.TryComplete();
}
