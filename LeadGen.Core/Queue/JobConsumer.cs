using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Consumes one job type for one Worker instance: reads new entries as the consumer group's member, reclaims entries
/// other consumers left pending past the visibility timeout (XAUTOCLAIM), moves due retries back into the stream, and
/// runs at most <see cref="QueueOptions.ConcurrencyFor"/> jobs at once.
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
    private readonly SemaphoreSlim _slots = new(options.ConcurrencyFor(jobType), options.ConcurrencyFor(jobType));
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    public string JobType => jobType;

    public void Dispose()
    {
        _wake.Dispose();
        _slots.Dispose();
    }

    /// <summary>New entries may be waiting (relay or retry mover said so): stop idling.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
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

        var loops = new[]
        {
            ReadLoopAsync(stopReading, abortJobs),
            EveryAsync(options.RetryPollInterval, MoveDueRetriesAsync, stopReading),
            EveryAsync(ReclaimInterval(options.VisibilityTimeout), token => ReclaimAsync(abortJobs, token), stopReading),
        };
        await Task.WhenAll(loops);
        // Let running jobs finish (or be aborted by abortJobs); an unfinished one stays pending for reclaim.
        await Task.WhenAll(_inFlight.Keys);
    }

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
            catch (RedisException ex)
            {
                LogRedisTrouble(ex, failures++, "creating the consumer group");
                await DelayAsync(FailureDelay(failures), cancellationToken);
            }
        }

        return false;
    }

    private async Task ReadLoopAsync(CancellationToken stopReading, CancellationToken abortJobs)
    {
        var failures = 0;
        while (!stopReading.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stopReading);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var acquired = 1 + TakeFreeSlots(options.ReadBatchSize - 1);
            StreamEntry[] entries;
            try
            {
                entries = await streams.ReadNewAsync(jobType, consumerName, acquired);
                failures = 0;
            }
            catch (RedisException ex)
            {
                _slots.Release(acquired);
                LogRedisTrouble(ex, failures++, "reading jobs");
                await DelayAsync(FailureDelay(failures), stopReading);
                continue;
            }

            if (entries.Length < acquired)
            {
                _slots.Release(acquired - entries.Length);
            }

            foreach (var entry in entries)
            {
                Dispatch(entry, deliveries: 1, abortJobs);
            }

            if (entries.Length == 0)
            {
                await WaitForWorkAsync(stopReading);
            }
        }
    }

    private async Task ReclaimAsync(CancellationToken abortJobs, CancellationToken cancellationToken)
    {
        var free = TakeFreeSlots(options.ReadBatchSize);
        if (free == 0)
        {
            return;
        }

        IReadOnlyList<(StreamEntry Entry, int Deliveries)> claimed = [];
        try
        {
            claimed = await streams.ReclaimAsync(jobType, consumerName, options.VisibilityTimeout, free);
        }
        finally
        {
            if (claimed.Count < free)
            {
                _slots.Release(free - claimed.Count);
            }
        }

        if (claimed.Count > 0)
        {
            telemetry.Reclaimed.Add(claimed.Count, QueueTelemetry.TypeTag(jobType));
            logger.LogWarning("Reclaimed {Count} {JobType} job(s) left pending past the visibility timeout", claimed.Count, jobType);
        }

        foreach (var (entry, deliveries) in claimed)
        {
            Dispatch(entry, deliveries, abortJobs);
        }
    }

    private async Task MoveDueRetriesAsync(CancellationToken cancellationToken)
    {
        if (await streams.MoveDueRetriesAsync(jobType, timeProvider.GetUtcNow(), options.ReadBatchSize) > 0)
        {
            Wake();
        }
    }

    /// <summary>Runs one entry on a slot already taken for it; the slot is given back when the job is done.</summary>
    private void Dispatch(StreamEntry entry, int deliveries, CancellationToken abortJobs)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await processor.ProcessAsync(jobType, consumerName, entry, deliveries, abortJobs);
            }
            catch (Exception ex)
            {
                // ProcessAsync handles job failures; this is the queue's own trouble (e.g. Redis gone while
                // dead-lettering). The entry stays pending and is reclaimed.
                logger.LogError(ex, "Unexpected error running {JobType} entry {EntryId}", jobType, entry.Id);
            }
            finally
            {
                _slots.Release();
            }
        }, CancellationToken.None);
        _inFlight[task] = true;
        _ = task.ContinueWith(done => _inFlight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private int TakeFreeSlots(int max)
    {
        var taken = 0;
        while (taken < max && _slots.Wait(0))
        {
            taken++;
        }

        return taken;
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
            catch (RedisException ex)
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
