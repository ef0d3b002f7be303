using System.Diagnostics;

namespace LeadGen.Core.Queue;

/// <summary>
/// Carries W3C trace context inside jobs (OpenTelemetry messaging conventions for span names and tags). Periodic ticks
/// (<see cref="JobTypes.IsPeriodic"/>) enqueued outside any operation get no span and no context, and are processed
/// without a span: an idle tick leaves no trace, and the work a tick starts (e.g. a <c>send place-call</c>) roots its own.
/// </summary>
internal static class JobTraceContext
{
    public const string MessagingSystem = "redis";

    /// <summary>Starts the producer span of an enqueue, a child of the caller's current span (e.g. the HTTP request).</summary>
    public static Activity? StartEnqueue(string jobType, Guid jobId)
    {
        if (Activity.Current is null && JobTypes.IsPeriodic(jobType))
        {
            return null;
        }

        var activity = QueueTelemetry.ActivitySource.StartActivity($"send {jobType}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", MessagingSystem);
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", jobType);
        activity?.SetTag("messaging.message.id", jobId.ToString("D"));
        return activity;
    }

    /// <summary>The context to store with the job: the producer span, else whatever span is current (never sampled-out noise).</summary>
    public static (string? TraceParent, string? TraceState) Capture(Activity? producer)
    {
        var activity = producer ?? Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return (null, null);
        }

        return (activity.Id, string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString);
    }

    /// <summary>Starts the consumer span of a job, parented to the enqueuing span so both are one trace.</summary>
    public static Activity? StartProcess(JobEnvelope job, string streamEntryId, int attempt)
    {
        if (job.TraceParent is null && JobTypes.IsPeriodic(job.Type))
        {
            return null;
        }

        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent);
        var activity = QueueTelemetry.ActivitySource.StartActivity($"process {job.Type}", ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", job.Type);
            activity.SetTag("messaging.consumer.group.name", QueueKeys.ConsumerGroup);
            activity.SetTag("messaging.message.id", job.Id.ToString("D"));
            activity.SetTag("leadgen.job.stream_entry_id", streamEntryId);
            activity.SetTag("leadgen.job.attempt", attempt);
        }

        return activity;
    }
}
