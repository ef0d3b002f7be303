using Npgsql;

namespace LeadGen.Core.Queue;

/// <summary>
/// Enqueues jobs inside the caller's open Postgres transaction: the job exists if and only if that transaction
/// commits (transactional outbox). The Worker's relay then delivers it to the job type's Redis Stream.
/// </summary>
public interface IJobOutbox
{
    /// <summary>Enqueues one job with a new id and returns the id.</summary>
    Task<Guid> EnqueueAsync<TPayload>(NpgsqlTransaction transaction, string jobType, TPayload payload, CancellationToken cancellationToken);

    /// <summary>
    /// Enqueues one job with a caller-chosen id (e.g. derived from a schedule tick). Returns false when a job with that
    /// id is already waiting in the outbox or was already processed (nothing is written then).
    /// </summary>
    Task<bool> EnqueueAsync<TPayload>(NpgsqlTransaction transaction, string jobType, TPayload payload, Guid jobId, CancellationToken cancellationToken);

    /// <summary>Enqueues many jobs of one type in one statement; returns their ids in payload order.</summary>
    Task<IReadOnlyList<Guid>> EnqueueManyAsync<TPayload>(NpgsqlTransaction transaction, string jobType, IReadOnlyList<TPayload> payloads, CancellationToken cancellationToken);
}
