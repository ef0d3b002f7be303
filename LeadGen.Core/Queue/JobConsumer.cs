using System.Threading.Channels;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Consumes one job type for one Worker instance: reads new entries as the consumer group's member, reclaims entries
/// other consumers left pending past the visibility timeout (XAUTOCLAIM), moves due retries back into the stream, and
/// runs at most <see cref="QueueOptions.ConcurrencyFor"/> jobs at once. Entries read ahead wait in a small buffer
/// (<see cref="QueueOptions.ReadBatchSize"/>); they are pending in Redis meanwhile, so none is lost if the process dies.
/// </summary>
internal sealed class JobConsumer(
    string jobType,
    string consumerName,
    JobProcessor processor,
    RedisJobStreams streams,
    QueueOptions options,
    QueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _roomFreed = new(0, 1);
    private readonly JobAcknowledger _acknowledger = new(jobType, streams, logger);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RedisValue> _running = new(StringComparer.Ordinal);
    private readonly int _bufferCapacity = Math.Max(1, options.ReadBatchSize);
    private readonly Channel<(StreamEntry Entry, int Deliveries)> _buffer =
        Channel.CreateBounded<(StreamEntry Entry, int Deliveries)>(Math.Max(1, options.ReadBatchSize));

    public string JobType => jobType;

    public void Dispose()
    {
        _wake.Dispose();
        _roomFreed.Dispose();
    }

    /// <summary>New entries may be waiting (relay or retry mover said so): stop idling.</summary>
    public void Wake() => Signal(_wake);

    private static void Signal(SemaphoreSlim signal)
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Shut down.
        }
    }

    /// <param name="stopReading">Stop taking new jobs (shutdown requested).</param>
    /// <param name="abortJobs">Abort jobs still running (the shutdown grace period is over): they roll back and stay pending.</param>
    public async Task RunAsync(CancellationToken stopReading, CancellationToken abortJobs)
    {
        if (!await EnsureConsumerGroupAsync(stopReading))
        {
            return;
        }

        var acknowledging = Task.Run(_acknowledger.RunAsync, CancellationToken.None);
        var workers = Enumerable.Range(0, options.ConcurrencyFor(jobType))
            .Select(_ => Task.Run(() => WorkAsync(stopReading, abortJobs), CancellationToken.None))
            .ToArray();
        var loops = new[]
        {
            ReadLoopAsync(stopReading),
            EveryAsync(options.RetryPollInterval, MoveDueRetriesAsync, stopReading),
            EveryAsync(ReclaimInterval(options.VisibilityTimeout), ReclaimAsync, stopReading),
            EveryAsync(HeartbeatInterval(options.VisibilityTimeout), KeepRunningJobsClaimedAsync, stopReading),
        };
        await Task.WhenAll(loops);
        _buffer.Writer.TryComplete();
        // Running jobs finish (or are aborted by abortJobs). Entries still buffered stay pending and are reclaimed.
        await Task.WhenAll(workers);
        _acknowledger.Complete();
        await acknowledging;
    }

    private static TimeSpan HeartbeatInterval(TimeSpan visibilityTimeout) =>
        TimeSpan.FromMilliseconds(Math.Max(50, visibilityTimeout.TotalMilliseconds / 3));

    private static TimeSpan ReclaimInterval(TimeSpan visibilityTimeout) =>
        TimeSpan.FromMilliseconds(Math.Clamp(visibilityTimeout.TotalMilliseconds / 4, 100, 15_000));

    private async Task<bool> EnsureConsumerGroupAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await streams.EnsureConsumerGroupAsync(jobType);
                return true;
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                LogRedisTrouble(ex, failures++, "creating the consumer group");
                await DelayAsync(FailureDelay(failures), cancellationToken);
            }
        }

        return false;
    }

    private async Task ReadLoopAsync(CancellationToken stopReading)
    {
        var failures = 0;
        while (!stopReading.IsCancellationRequested)
        {
            var room = await WaitForRoomAsync(stopReading);
            if (room == 0)
            {
                return;
            }

            StreamEntry[] entries;
            try
            {
                entries = await streams.ReadNewAsync(jobType, consumerName, room);
                failures = 0;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // The stream or group vanished (e.g. Redis came back without its data): recreate, then read on.
                logger.LogWarning("The {JobType} consumer group is missing; recreating it", jobType);
                await EnsureConsumerGroupAsync(stopReading);
                continue;
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                LogRedisTrouble(ex, failures++, "reading jobs");
                await DelayAsync(FailureDelay(failures), stopReading);
                continue;
            }

            foreach (var entry in entries)
            {
                _buffer.Writer.TryWrite((entry, 1));
            }

            if (entries.Length == 0)
            {
                await WaitForWorkAsync(stopReading);
            }
        }
    }

    private async Task ReclaimAsync(CancellationToken cancellationToken)
    {
        var room = _bufferCapacity - _buffer.Reader.Count;
        if (room <= 0)
        {
            return;
        }

        var claimed = await streams.ReclaimAsync(jobType, consumerName, options.VisibilityTimeout, room);
        if (claimed.Count > 0)
        {
            telemetry.Reclaimed.Add(claimed.Count, QueueTelemetry.TypeTag(jobType));
            logger.LogWarning("Reclaimed {Count} {JobType} job(s) left pending past the visibility timeout", claimed.Count, jobType);
        }

        foreach (var item in claimed)
        {
            // The buffer may be momentarily full (a read raced us): then the entry stays pending and is claimed again.
            _buffer.Writer.TryWrite(item);
        }
    }

    /// <summary>Resets the idle time of the jobs this consumer is running, so a long job is not reclaimed from a live consumer.</summary>
    private Task KeepRunningJobsClaimedAsync(CancellationToken cancellationToken) =>
        streams.HeartbeatAsync(jobType, consumerName, [.. _running.Values]);

    private async Task MoveDueRetriesAsync(CancellationToken cancellationToken)
    {
        if (await streams.MoveDueRetriesAsync(jobType, timeProvider.GetUtcNow(), options.ReadBatchSize) > 0)
        {
            Wake();
        }
    }

    /// <summary>
    /// One of the <see cref="QueueOptions.Concurrency"/> workers: takes what is buffered (up to
    /// <see cref="QueueOptions.ProcessBatchSizeFor"/> entries) and runs it as one batch transaction.
    /// </summary>
    private async Task WorkAsync(CancellationToken stopReading, CancellationToken abortJobs)
    {
        var batchSize = options.ProcessBatchSizeFor(jobType);
        var batch = new List<(StreamEntry Entry, int Deliveries)>(batchSize);
        while (!stopReading.IsCancellationRequested)
        {
            try
            {
                if (!await _buffer.Reader.WaitToReadAsync(stopReading))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            batch.Clear();
            while (batch.Count < batchSize && _buffer.Reader.TryRead(out var item))
            {
                batch.Add(item);
                _running[item.Entry.Id.ToString()] = item.Entry.Id;
            }

            if (batch.Count == 0)
            {
                continue;
            }

            Signal(_roomFreed);
            try
            {
                await processor.ProcessBatchAsync(jobType, consumerName, batch, _acknowledger, abortJobs);
            }
            catch (Exception ex)
            {
                // ProcessBatchAsync handles job failures; this is the queue's own trouble (e.g. Redis gone while
                // dead-lettering). The entries stay pending and are reclaimed.
                logger.LogError(ex, "Unexpected error running a batch of {Count} {JobType} entries", batch.Count, jobType);
            }
            finally
            {
                foreach (var item in batch)
                {
                    _running.TryRemove(item.Entry.Id.ToString(), out _);
                }
            }
        }
    }

    /// <summary>Waits until the buffer has room and returns how much (0 when stopping).</summary>
    private async Task<int> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        // Read in batches: wait until at least half the buffer is free, so a busy consumer does not issue one
        // XREADGROUP per finished job.
        while (!cancellationToken.IsCancellationRequested)
        {
            var room = _bufferCapacity - _buffer.Reader.Count;
            if (room >= Math.Max(1, _bufferCapacity / 2))
            {
                return room;
            }

            try
            {
                await _roomFreed.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }

        return 0;
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _wake.WaitAsync(options.ConsumerPollInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await action(cancellationToken);
                failures = 0;
                await DelayAsync(interval, cancellationToken);
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                LogRedisTrouble(ex, failures++, "reclaiming or moving retries");
                await DelayAsync(FailureDelay(failures), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, timeProvider, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static TimeSpan FailureDelay(int failures) => TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * Math.Pow(2, Math.Min(failures, 10))));

    /// <summary>Logs an outage once as a warning, then quietly until it ends (no log flood while Redis is down).</summary>
    private void LogRedisTrouble(Exception exception, int previousFailures, string activity)
    {
        if (previousFailures == 0)
        {
            logger.LogWarning(exception, "Redis unavailable while {Activity} for {JobType}; retrying", activity, jobType);
        }
        else
        {
            logger.LogDebug(exception, "Redis still unavailable while {Activity} for {JobType}", activity, jobType);
        }
    }
}
