using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Runs one delivered stream entry: idempotency marker + handler in one Postgres transaction, commit, then XACK.
/// A failure rolls back and either schedules a retry (backoff with jitter) or dead-letters the job with the reason.
/// Cancellation (shutdown) rolls back and leaves the entry pending, to be reclaimed: never half-done.
/// </summary>
public sealed class JobProcessor(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopeFactory,
    RedisJobStreams streams,
    QueueOptions options,
    RetryBackoff backoff,
    QueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<JobProcessor> logger)
{
    public async Task ProcessAsync(string jobType, string consumer, StreamEntry entry, int deliveries, CancellationToken cancellationToken)
    {
        JobEnvelope job;
        try
        {
            job = JobEnvelope.FromStreamFields(entry.Values);
        }
        catch (FormatException ex)
        {
            await DeadLetterAsync(jobType, consumer, entry, [.. entry.Values], deliveries, $"Malformed job entry: {ex.Message}");
            return;
        }

        var attempt = job.FailedAttempts + deliveries;
        if (deliveries > 1 && attempt > options.MaxAttempts)
        {
            await DeadLetterAsync(jobType, consumer, entry, job.ToStreamFields(), attempt - 1,
                $"Abandoned: delivered {deliveries} times without an acknowledgement (its consumer crashed or exceeded the visibility timeout).");
            return;
        }

        var tag = QueueTelemetry.TypeTag(jobType);
        using var activity = JobTraceContext.StartProcess(job, entry.Id.ToString(), attempt);
        var started = timeProvider.GetTimestamp();
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = KeepClaimedAsync(jobType, consumer, entry.Id, heartbeatStop.Token);
        try
        {
            var ran = await RunInTransactionAsync(jobType, job, attempt, cancellationToken);
            activity?.SetTag("leadgen.job.duplicate", !ran);
            activity?.SetStatus(ActivityStatusCode.Ok);
            (ran ? telemetry.Processed : telemetry.Duplicates).Add(1, tag);
            await AcknowledgeCommittedAsync(jobType, entry, job);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "Interrupted by shutdown; left pending for reclaim.");
            logger.LogInformation("{JobType} job {JobId} interrupted by shutdown; rolled back and left pending for reclaim", jobType, job.Id);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            await HandleFailureAsync(jobType, consumer, entry, job, attempt, ex);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            telemetry.Duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tag);
        }
    }

    /// <returns>False when the job had already been processed (its marker exists): nothing ran.</returns>
    private async Task<bool> RunInTransactionAsync(string jobType, JobEnvelope job, int attempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var marker = new NpgsqlCommand(
            "INSERT INTO processed_jobs (job_id, job_type, processed_at) VALUES (@job_id, @job_type, @processed_at) ON CONFLICT (job_id) DO NOTHING",
            connection,
            transaction))
        {
            marker.Parameters.AddWithValue("job_id", job.Id);
            marker.Parameters.AddWithValue("job_type", jobType);
            marker.Parameters.AddWithValue("processed_at", timeProvider.GetUtcNow());
            // Prepared once per pooled physical connection (Npgsql keeps it across opens): runs on every job.
            await marker.PrepareAsync(cancellationToken);
            if (await marker.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(jobType);
            await handler.HandleAsync(new JobContext(job, attempt, transaction), cancellationToken);
        }

        // Not cancellable: once the handler is done, finishing the commit beats leaving the job for a rerun.
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private async Task AcknowledgeCommittedAsync(string jobType, StreamEntry entry, JobEnvelope job)
    {
        try
        {
            await streams.AcknowledgeAsync(jobType, entry.Id);
        }
        catch (RedisException ex)
        {
            // The effects are committed; the entry stays pending, is reclaimed later, and its marker makes that
            // delivery a no-op that is acknowledged then.
            logger.LogWarning(ex, "{JobType} job {JobId} committed but not acknowledged; it will be reclaimed and acknowledged as already processed", jobType, job.Id);
        }
    }

    private async Task HandleFailureAsync(string jobType, string consumer, StreamEntry entry, JobEnvelope job, int attempt, Exception exception)
    {
        var tag = QueueTelemetry.TypeTag(jobType);
        telemetry.Failed.Add(1, tag);
        var reason = $"{exception.GetType().FullName}: {exception.Message}";
        try
        {
            if (exception is PermanentJobFailureException || attempt >= options.MaxAttempts)
            {
                logger.LogError(exception, "{JobType} job {JobId} failed on attempt {Attempt} of {MaxAttempts}; moving it to the dead-letter stream", jobType, job.Id, attempt, options.MaxAttempts);
                await DeadLetterAsync(jobType, consumer, entry, job.ToStreamFields(), attempt, reason);
                return;
            }

            var delay = backoff.DelayAfter(attempt);
            logger.LogWarning(exception, "{JobType} job {JobId} failed on attempt {Attempt} of {MaxAttempts}; retrying in {Delay}", jobType, job.Id, attempt, options.MaxAttempts, delay);
            if (await streams.ScheduleRetryAsync(jobType, entry.Id, job with { FailedAttempts = attempt }, timeProvider.GetUtcNow() + delay))
            {
                telemetry.Retried.Add(1, tag);
            }
        }
        catch (RedisException ex)
        {
            // Redis is unreachable: the entry stays pending and comes back through reclaim, counted as a delivery.
            logger.LogWarning(ex, "Could not record the failure of {JobType} job {JobId}; it stays pending for reclaim", jobType, job.Id);
        }
    }

    private async Task DeadLetterAsync(string jobType, string consumer, StreamEntry entry, IEnumerable<NameValueEntry> jobFields, int attempts, string reason)
    {
        var fields = jobFields.ToList();
        fields.Add(new("reason", reason.Length > 2000 ? reason[..2000] : reason));
        fields.Add(new("attempts", attempts));
        fields.Add(new("dead_lettered_at", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        fields.Add(new("source_entry_id", entry.Id));
        fields.Add(new("consumer", consumer));
        if (await streams.DeadLetterAsync(jobType, entry.Id, fields))
        {
            telemetry.DeadLettered.Add(1, QueueTelemetry.TypeTag(jobType));
            logger.LogError("{JobType} entry {EntryId} dead-lettered after {Attempts} attempt(s): {Reason}", jobType, entry.Id, attempts, reason);
        }
    }

    /// <summary>While the handler runs, resets the entry's idle time so a long job is not reclaimed from a live consumer.</summary>
    private async Task KeepClaimedAsync(string jobType, string consumer, RedisValue entryId, CancellationToken cancellationToken)
    {
        var interval = options.VisibilityTimeout / 3;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await streams.HeartbeatAsync(jobType, consumer, entryId);
                }
                catch (RedisException ex)
                {
                    logger.LogDebug(ex, "Heartbeat of {JobType} entry {EntryId} failed", jobType, entryId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job finished (or shutdown): stop beating.
        }
    }
}
