namespace LeadGen.Core.Queue;

/// <summary>Settings of the durable job queue (configuration section <c>Queue</c>).</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>Tries per job (first run included); after the last failure the job goes to the dead-letter stream.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>A delivered job not acknowledged (nor heart-beaten) for this long is reclaimed by another consumer.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay before the first retry; doubles each try (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Jobs of one type handled at once by one Worker instance.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Per-type overrides of <see cref="Concurrency"/> (e.g. <c>Queue:ConcurrencyByType:place-call=4</c>).</summary>
    public Dictionary<string, int> ConcurrencyByType { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries fetched per XREADGROUP.</summary>
    public int ReadBatchSize { get; set; } = 64;

    /// <summary>
    /// Most jobs one worker runs in one Postgres transaction (savepoint per job, one commit, then one XACK batch). It
    /// takes only what is already buffered, so a quiet queue still runs jobs one at a time. 1 turns batching off.
    /// </summary>
    public int ProcessBatchSize { get; set; } = 32;

    /// <summary>
    /// Per-type overrides of <see cref="ProcessBatchSize"/>. place-call defaults to 1: its dial is an outside effect, so a
    /// job should not wait behind (or share a commit with) other dials.
    /// </summary>
    public Dictionary<string, int> ProcessBatchSizeByType { get; } = new(StringComparer.Ordinal) { [JobTypes.PlaceCall] = 1 };

    /// <summary>Outbox rows moved to Redis per relay transaction.</summary>
    public int RelayBatchSize { get; set; } = 500;

    /// <summary>Fallback poll when no LISTEN/NOTIFY wake-up arrives (also covers a broken LISTEN connection).</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fallback poll of an idle consumer when no pub/sub wake-up arrives.</summary>
    public TimeSpan ConsumerPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often due retries are moved back into their stream.</summary>
    public TimeSpan RetryPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the gauges (stream length, pending, lag, outbox backlog) are sampled.</summary>
    public TimeSpan MetricsSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int ProcessBatchSizeFor(string jobType) =>
        ProcessBatchSizeByType.TryGetValue(jobType, out var value) && value > 0 ? value : Math.Max(1, ProcessBatchSize);

    public int ConcurrencyFor(string jobType) =>
        ConcurrencyByType.TryGetValue(jobType, out var value) && value > 0 ? value : Math.Max(1, Concurrency);
}
