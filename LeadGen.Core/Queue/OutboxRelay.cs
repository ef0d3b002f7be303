using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Moves committed outbox rows to their job streams. Each batch is one transaction: lock rows (<c>FOR UPDATE SKIP
/// LOCKED</c>, so several Worker instances share the work without waiting on each other), XADD them, delete them,
/// commit. If Redis fails the transaction rolls back and the rows wait; if the commit fails after the XADD a job may be
/// delivered twice, which the consumers' idempotency marker absorbs (at-least-once delivery, exactly-once effects).
/// Woken by LISTEN/NOTIFY on commit, with a short poll as the fallback.
/// </summary>
public sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    RedisJobStreams streams,
    QueueOptions options,
    QueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public const string NotificationChannel = "leadgen_job_outbox";

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Relays one batch (up to <see cref="QueueOptions.RelayBatchSize"/> rows) and returns how many moved.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(long Id, JobEnvelope Job)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, job_id, job_type, payload::text, trace_parent, trace_state, enqueued_at
            FROM job_outbox ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
            """,
            connection,
            transaction))
        {
            select.Parameters.AddWithValue("limit", options.RelayBatchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), new JobEnvelope(
                    reader.GetGuid(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    FailedAttempts: 0)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var jobs = rows.Select(row => row.Job).ToList();
        // A span only when the batch carries traced work: relaying bare periodic ticks is not worth a trace.
        var links = LinksTo(jobs);
        using var activity = links.Count == 0 ? null : QueueTelemetry.ActivitySource.StartActivity(
            "relay outbox", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("messaging.batch.message_count", jobs.Count);

        await streams.PublishAsync(jobs);
        await using (var delete = new NpgsqlCommand("DELETE FROM job_outbox WHERE id = ANY(@ids)", connection, transaction))
        {
            delete.Parameters.AddWithValue("ids", rows.Select(row => row.Id).ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var group in jobs.GroupBy(job => job.Type, StringComparer.Ordinal))
        {
            telemetry.Relayed.Add(group.Count(), QueueTelemetry.TypeTag(group.Key));
        }

        await streams.WakeConsumersAsync(jobs.Select(job => job.Type).Distinct(StringComparer.Ordinal));
        return rows.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = ListenAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var moved = await RelayBatchAsync(stoppingToken);
                if (failures > 0)
                {
                    logger.LogInformation("Outbox relay recovered after {Failures} failed attempt(s)", failures);
                }

                failures = 0;
                if (moved == options.RelayBatchSize)
                {
                    continue; // More may be waiting: drain before sleeping.
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or NpgsqlException or TimeoutException)
            {
                // Jobs stay in the outbox; nothing is lost. Log the start of an outage, not every retry.
                if (failures++ == 0)
                {
                    logger.LogWarning(ex, "Outbox relay cannot deliver jobs; they wait in the outbox and are retried");
                }

                await SleepAsync(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * Math.Pow(2, Math.Min(failures, 10)))), stoppingToken);
                continue;
            }

            await WaitForNotificationAsync(stoppingToken);
        }

        await listener;
    }

    private static List<ActivityLink> LinksTo(IEnumerable<JobEnvelope> jobs)
    {
        var links = new List<ActivityLink>();
        foreach (var job in jobs.Take(64))
        {
            if (ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var context))
            {
                links.Add(new ActivityLink(context));
            }
        }

        return links;
    }

    private async Task WaitForNotificationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _wake.WaitAsync(options.RelayPollInterval, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task SleepAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, timeProvider, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Holds a LISTEN connection; reconnects after failures (the poll covers the gap).</summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {NotificationChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Wake(); // Rows committed before LISTEN took effect are picked up now.
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                logger.LogDebug(ex, "Outbox LISTEN connection lost; polling until it is back");
                await SleepAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
