using System.Diagnostics;
using System.Globalization;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Runs delivered stream entries: each job's idempotency marker + handler in a Postgres transaction (jobs read together
/// share one, a savepoint each), commit, then XACK (handed to the consumer's batched <see cref="JobAcknowledger"/>).
/// A failure rolls back (to the job's savepoint) and either schedules a retry (backoff with jitter) or dead-letters the job with the reason.
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
    private const string MarkerSql =
        "INSERT INTO processed_jobs (job_id, job_type, processed_at) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO NOTHING";

    // One savepoint name reused for every job of a batch: each job releases the previous one as it starts.
    private const string SavepointName = "leadgen_job";

    /// <summary>
    /// Runs the delivered entries in ONE transaction (group commit): per job a savepoint + its idempotency marker (one
    /// round trip), then its handler. A job that throws rolls back to its savepoint only — its marker and effects go,
    /// the others' stay — and is retried or dead-lettered alone after the commit. Nothing is acknowledged before the
    /// commit. If the batch itself breaks (commit fails, connection lost), the jobs it held are rerun one by one.
    /// </summary>
    internal async Task ProcessBatchAsync(
        string jobType, string consumer, IReadOnlyList<(StreamEntry Entry, int Deliveries)> items, JobAcknowledger acknowledger, CancellationToken cancellationToken)
    {
        var jobs = new List<BatchJob>(items.Count);
        foreach (var (entry, deliveries) in items)
        {
            var job = await AdmitAsync(jobType, consumer, entry, deliveries);
            if (job is not null)
            {
                jobs.Add(job);
            }
        }

        if (jobs.Count == 0)
        {
            return;
        }

        var tag = QueueTelemetry.TypeTag(jobType);
        var useSavepoints = jobs.Count > 1;
        try
        {
            await RunInOneTransactionAsync(jobType, jobs, useSavepoints, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("{Count} {JobType} job(s) interrupted by shutdown; rolled back and left pending for reclaim", jobs.Count, jobType);
            return;
        }
        catch (Exception ex) when (useSavepoints)
        {
            // The batch transaction is gone (commit failed, connection broken): none of its effects exist. Jobs that
            // already failed on their own are handled below; the others get a transaction of their own.
            logger.LogWarning(ex, "A batch of {Count} {JobType} job(s) could not be committed; running them one by one", jobs.Count, jobType);
            foreach (var job in jobs.Where(job => job.Failure is null))
            {
                await ProcessBatchAsync(jobType, consumer, [(job.Entry, job.Deliveries)], acknowledger, cancellationToken);
            }

            jobs.RemoveAll(job => job.Failure is null);
        }
        catch (Exception ex)
        {
            jobs[0].Failure ??= ex;
        }

        foreach (var job in jobs)
        {
            if (job.Failure is not null)
            {
                await HandleFailureAsync(jobType, consumer, job.Entry, job.Envelope, job.Attempt, job.Failure);
                continue;
            }

            (job.Ran ? telemetry.Processed : telemetry.Duplicates).Add(1, tag);
            acknowledger.Acknowledge(job.Entry.Id);
        }
    }

    /// <summary>Parses the entry and applies the attempt limit; returns null when the entry was dead-lettered instead.</summary>
    private async Task<BatchJob?> AdmitAsync(string jobType, string consumer, StreamEntry entry, int deliveries)
    {
        JobEnvelope job;
        try
        {
            job = JobEnvelope.FromStreamFields(entry.Values);
        }
        catch (FormatException ex)
        {
            await DeadLetterAsync(jobType, consumer, entry, [.. entry.Values], deliveries, $"Malformed job entry: {ex.Message}");
            return null;
        }

        var attempt = job.FailedAttempts + deliveries;
        if (deliveries > 1 && attempt > options.MaxAttempts)
        {
            await DeadLetterAsync(jobType, consumer, entry, job.ToStreamFields(), attempt - 1,
                $"Abandoned: delivered {deliveries} times without an acknowledgement (its consumer crashed or exceeded the visibility timeout).");
            return null;
        }

        return new BatchJob(entry, deliveries, job, attempt);
    }

    /// <summary>
    /// Runs every job; sets <see cref="BatchJob.Ran"/> or <see cref="BatchJob.Failure"/> on each, then commits when
    /// anything is left to commit. Throws when the transaction itself fails.
    /// </summary>
    private async Task RunInOneTransactionAsync(string jobType, List<BatchJob> jobs, bool useSavepoints, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var processedAt = timeProvider.GetUtcNow();
        var tag = QueueTelemetry.TypeTag(jobType);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            using var activity = JobTraceContext.StartProcess(job.Envelope, job.Entry.Id.ToString(), job.Attempt);
            var started = timeProvider.GetTimestamp();
            try
            {
                job.Ran = await RunJobAsync(connection, transaction, jobType, job, processedAt, useSavepoints, releasePrevious: i > 0, cancellationToken);
                activity?.SetTag("leadgen.job.duplicate", !job.Ran);
                activity?.SetStatus(ActivityStatusCode.Ok);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                activity?.SetStatus(ActivityStatusCode.Error, "Interrupted by shutdown; left pending for reclaim.");
                throw;
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                activity?.AddException(ex);
                job.Failure = ex;
                if (!useSavepoints)
                {
                    return; // Alone in its transaction: disposing it rolls back.
                }

                // Undo this job only (marker included). If even that fails, the whole batch is lost: rethrow.
                await transaction.RollbackAsync(SavepointName, CancellationToken.None);
            }
            finally
            {
                telemetry.Duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tag);
            }
        }

        // Not cancellable: once the handlers are done, finishing the commit beats leaving the jobs for a rerun.
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <returns>False when the job had already been processed (its marker exists): nothing ran.</returns>
    private async Task<bool> RunJobAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string jobType, BatchJob job, DateTimeOffset processedAt,
        bool useSavepoint, bool releasePrevious, CancellationToken cancellationToken)
    {
        // Savepoint and marker travel in one round trip.
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            if (useSavepoint)
            {
                if (releasePrevious)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand($"RELEASE SAVEPOINT {SavepointName}"));
                }

                batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {SavepointName}"));
            }

            var marker = new NpgsqlBatchCommand(MarkerSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid> { TypedValue = job.Envelope.Id },
                    new NpgsqlParameter<string> { TypedValue = jobType },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = processedAt },
                },
            };
            batch.BatchCommands.Add(marker);
            await batch.ExecuteNonQueryAsync(cancellationToken);
            if (marker.RecordsAffected == 0)
            {
                return false;
            }
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(jobType);
        await handler.HandleAsync(new JobContext(job.Envelope, job.Attempt, transaction), cancellationToken);
        return true;
    }

    private sealed class BatchJob(StreamEntry entry, int deliveries, JobEnvelope envelope, int attempt)
    {
        public StreamEntry Entry { get; } = entry;

        public int Deliveries { get; } = deliveries;

        public JobEnvelope Envelope { get; } = envelope;

        public int Attempt { get; } = attempt;

        /// <summary>True when the handler ran (false: marker already there, a duplicate delivery).</summary>
        public bool Ran { get; set; }

        /// <summary>Set when the handler (or its marker) failed; its savepoint was rolled back.</summary>
        public Exception? Failure { get; set; }
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
        catch (Exception ex) when (RedisOutage.Is(ex))
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
}
