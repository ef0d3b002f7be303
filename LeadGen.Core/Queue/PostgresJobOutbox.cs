using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Queue;

/// <summary>Writes jobs to the <c>job_outbox</c> table in the caller's transaction (see migration 0020).</summary>
public sealed class PostgresJobOutbox(QueueTelemetry telemetry, TimeProvider timeProvider) : IJobOutbox
{
    internal static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public async Task<Guid> EnqueueAsync<TPayload>(NpgsqlTransaction transaction, string jobType, TPayload payload, CancellationToken cancellationToken)
    {
        var jobId = Guid.CreateVersion7(timeProvider.GetUtcNow());
        await EnqueueAsync(transaction, jobType, payload, jobId, cancellationToken);
        return jobId;
    }

    public async Task<bool> EnqueueAsync<TPayload>(NpgsqlTransaction transaction, string jobType, TPayload payload, Guid jobId, CancellationToken cancellationToken)
    {
        ValidateTransaction(transaction);
        ValidateType(jobType);
        using var activity = JobTraceContext.StartEnqueue(jobType, jobId);
        var (traceParent, traceState) = JobTraceContext.Capture(activity);

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO job_outbox (job_id, job_type, payload, trace_parent, trace_state, enqueued_at)
            SELECT @job_id, @job_type, @payload, @trace_parent, @trace_state, @enqueued_at
            WHERE NOT EXISTS (SELECT 1 FROM processed_jobs WHERE job_id = @job_id)
            ON CONFLICT (job_id) DO NOTHING
            """,
            transaction.Connection,
            transaction);
        command.Parameters.AddWithValue("job_id", jobId);
        command.Parameters.AddWithValue("job_type", jobType);
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(payload, PayloadJson));
        command.Parameters.AddWithValue("trace_parent", NpgsqlDbType.Text, (object?)traceParent ?? DBNull.Value);
        command.Parameters.AddWithValue("trace_state", NpgsqlDbType.Text, (object?)traceState ?? DBNull.Value);
        command.Parameters.AddWithValue("enqueued_at", timeProvider.GetUtcNow());
        var inserted = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        if (inserted)
        {
            telemetry.Enqueued.Add(1, QueueTelemetry.TypeTag(jobType));
        }

        return inserted;
    }

    public async Task<IReadOnlyList<Guid>> EnqueueManyAsync<TPayload>(NpgsqlTransaction transaction, string jobType, IReadOnlyList<TPayload> payloads, CancellationToken cancellationToken)
    {
        ValidateTransaction(transaction);
        ValidateType(jobType);
        if (payloads.Count == 0)
        {
            return [];
        }

        var now = timeProvider.GetUtcNow();
        var ids = payloads.Select(_ => Guid.CreateVersion7(now)).ToArray();
        // One producer span for the batch: every job in it carries that span's context.
        using var activity = JobTraceContext.StartEnqueue(jobType, ids[0]);
        activity?.SetTag("messaging.batch.message_count", ids.Length);
        var (traceParent, traceState) = JobTraceContext.Capture(activity);

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO job_outbox (job_id, job_type, payload, trace_parent, trace_state, enqueued_at)
            SELECT job.id, @job_type, job.payload, @trace_parent, @trace_state, @enqueued_at
            FROM unnest(@ids, @payloads) WITH ORDINALITY AS job (id, payload, ordinal)
            ORDER BY job.ordinal
            """,
            transaction.Connection,
            transaction);
        command.Parameters.AddWithValue("job_type", jobType);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("payloads", NpgsqlDbType.Array | NpgsqlDbType.Jsonb, payloads.Select(payload => JsonSerializer.Serialize(payload, PayloadJson)).ToArray());
        command.Parameters.AddWithValue("trace_parent", NpgsqlDbType.Text, (object?)traceParent ?? DBNull.Value);
        command.Parameters.AddWithValue("trace_state", NpgsqlDbType.Text, (object?)traceState ?? DBNull.Value);
        command.Parameters.AddWithValue("enqueued_at", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
        telemetry.Enqueued.Add(ids.Length, QueueTelemetry.TypeTag(jobType));
        return ids;
    }

    private static void ValidateTransaction(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Connection is null)
        {
            throw new InvalidOperationException("The transaction is already committed or rolled back; enqueue jobs inside an open transaction.");
        }
    }

    private static void ValidateType(string jobType)
    {
        if (!JobTypes.IsValidName(jobType))
        {
            throw new ArgumentException($"'{jobType}' is not a valid job type (lower-case letters, digits and dashes, starting with a letter).", nameof(jobType));
        }
    }
}
