using System.Text.Json;
using Npgsql;

namespace LeadGen.Core.Queue;

/// <summary>
/// Handles the jobs of one type. <see cref="HandleAsync"/> runs inside a transaction the queue opened and commits
/// together with the job's idempotency marker, and the job is acknowledged only after that commit: write database
/// effects through <see cref="JobContext.Transaction"/> and they happen exactly once. Effects outside the database must
/// be idempotent themselves (or guarded by a state change committed first, as place-call does). Throwing rolls the
/// transaction back and retries the job with backoff; after the last try it goes to the dead-letter stream.
/// </summary>
public interface IJobHandler
{
    Task HandleAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>A handler with a typed JSON payload.</summary>
public abstract class JobHandler<TPayload> : IJobHandler
{
    public Task HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = context.ReadPayload<TPayload>();
        return HandleAsync(payload, context, cancellationToken);
    }

    protected abstract Task HandleAsync(TPayload payload, JobContext context, CancellationToken cancellationToken);
}

/// <summary>What a handler gets: the job, which attempt this is, and the job's open transaction.</summary>
public sealed class JobContext(JobEnvelope job, int attempt, NpgsqlTransaction transaction)
{
    public JobEnvelope Job { get; } = job;

    /// <summary>1 for the first run, 2 for the first retry, …</summary>
    public int Attempt { get; } = attempt;

    public NpgsqlTransaction Transaction { get; } = transaction;

    public NpgsqlConnection Connection => Transaction.Connection!;

    /// <summary>The payload as <typeparamref name="TPayload"/>; a payload that does not fit is a permanent error.</summary>
    public TPayload ReadPayload<TPayload>()
    {
        try
        {
            return JsonSerializer.Deserialize<TPayload>(Job.Payload, PostgresJobOutbox.PayloadJson)
                ?? throw new InvalidJobPayloadException($"The {Job.Type} job {Job.Id} has a null payload.");
        }
        catch (JsonException ex)
        {
            throw new InvalidJobPayloadException($"The {Job.Type} job {Job.Id} has a payload that is not a {typeof(TPayload).Name}: {ex.Message}", ex);
        }
    }
}

/// <summary>A job that can never succeed as written: it is dead-lettered at once instead of being retried.</summary>
public class PermanentJobFailureException : Exception
{
    public PermanentJobFailureException()
    {
    }

    public PermanentJobFailureException(string message)
        : base(message)
    {
    }

    public PermanentJobFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

public sealed class InvalidJobPayloadException : PermanentJobFailureException
{
    public InvalidJobPayloadException()
    {
    }

    public InvalidJobPayloadException(string message)
        : base(message)
    {
    }

    public InvalidJobPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
