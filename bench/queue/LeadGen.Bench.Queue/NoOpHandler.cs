using LeadGen.Core.Queue;

namespace LeadGen.Bench.Queue;

internal sealed record NoOpPayload(int N);

internal sealed class NoOpCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>Does no work of its own: what is measured is the queue around it (marker, commit, ack).</summary>
internal sealed class NoOpHandler(NoOpCounter counter) : JobHandler<NoOpPayload>
{
    protected override Task HandleAsync(NoOpPayload payload, JobContext context, CancellationToken cancellationToken)
    {
        counter.Increment();
        return Task.CompletedTask;
    }
}
