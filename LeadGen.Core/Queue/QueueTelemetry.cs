using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LeadGen.Core.Queue;

/// <summary>
/// The queue's spans (ActivitySource <c>LeadGen.Queue</c>) and metrics (Meter <c>LeadGen.Queue</c>). Counters are
/// tagged with <c>leadgen.job.type</c>; the gauges read the last sample taken by <see cref="QueueMetricsSampler"/>.
/// </summary>
public sealed class QueueTelemetry
{
    public const string Name = "LeadGen.Queue";
    public const string JobTypeTag = "leadgen.job.type";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly ConcurrentDictionary<string, QueueSample> _samples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _outboxBacklog = new(StringComparer.Ordinal);

    public QueueTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Enqueued = meter.CreateCounter<long>("leadgen.queue.jobs.enqueued", "{job}", "Jobs written to the outbox (counted when the enqueue call returns; a later rollback drops them).");
        Relayed = meter.CreateCounter<long>("leadgen.queue.jobs.relayed", "{job}", "Outbox rows moved to their Redis Stream.");
        Processed = meter.CreateCounter<long>("leadgen.queue.jobs.processed", "{job}", "Jobs whose handler committed and that were acknowledged.");
        Failed = meter.CreateCounter<long>("leadgen.queue.jobs.failed", "{job}", "Handler runs that threw (each is retried or dead-lettered).");
        Retried = meter.CreateCounter<long>("leadgen.queue.jobs.retried", "{job}", "Failed jobs scheduled for another try.");
        DeadLettered = meter.CreateCounter<long>("leadgen.queue.jobs.dead_lettered", "{job}", "Jobs moved to the dead-letter stream.");
        Reclaimed = meter.CreateCounter<long>("leadgen.queue.jobs.reclaimed", "{job}", "Pending jobs taken over from a consumer that stopped acknowledging (XAUTOCLAIM).");
        Duplicates = meter.CreateCounter<long>("leadgen.queue.jobs.duplicates", "{job}", "Deliveries of jobs already processed (acknowledged without running the handler).");
        Duration = meter.CreateHistogram<double>("leadgen.queue.job.duration", "s", "Handler run time, commit included.");

        meter.CreateObservableGauge("leadgen.queue.stream.length", () => Observe(sample => sample.StreamLength), "{job}", "Entries in the job stream (waiting + pending; acknowledged entries are deleted).");
        meter.CreateObservableGauge("leadgen.queue.pending", () => Observe(sample => sample.Pending), "{job}", "Entries delivered to a consumer and not yet acknowledged.");
        meter.CreateObservableGauge("leadgen.queue.lag", () => Observe(sample => sample.Lag), "{job}", "Entries not yet delivered to the consumer group.");
        meter.CreateObservableGauge("leadgen.queue.retry.scheduled", () => Observe(sample => sample.ScheduledRetries), "{job}", "Failed jobs waiting for their retry time.");
        meter.CreateObservableGauge("leadgen.queue.dead_letter.length", () => Observe(sample => sample.DeadLetters), "{job}", "Entries in the dead-letter stream.");
        meter.CreateObservableGauge("leadgen.queue.outbox.backlog", ObserveOutbox, "{job}", "Committed jobs still in the Postgres outbox (e.g. while Redis is down).");
    }

    public Counter<long> Enqueued { get; }

    public Counter<long> Relayed { get; }

    public Counter<long> Processed { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Reclaimed { get; }

    public Counter<long> Duplicates { get; }

    public Histogram<double> Duration { get; }

    internal static KeyValuePair<string, object?> TypeTag(string jobType) => new(JobTypeTag, jobType);

    internal void Record(string jobType, QueueSample sample) => _samples[jobType] = sample;

    internal void RecordOutboxBacklog(IReadOnlyDictionary<string, long> backlogByType)
    {
        foreach (var type in _outboxBacklog.Keys.Except(backlogByType.Keys).ToList())
        {
            _outboxBacklog[type] = 0;
        }

        foreach (var (type, count) in backlogByType)
        {
            _outboxBacklog[type] = count;
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<QueueSample, long> value) =>
        _samples.Select(pair => new Measurement<long>(value(pair.Value), TypeTag(pair.Key)));

    private IEnumerable<Measurement<long>> ObserveOutbox() =>
        _outboxBacklog.Select(pair => new Measurement<long>(pair.Value, TypeTag(pair.Key)));
}

internal sealed record QueueSample(long StreamLength, long Pending, long Lag, long ScheduledRetries, long DeadLetters);
