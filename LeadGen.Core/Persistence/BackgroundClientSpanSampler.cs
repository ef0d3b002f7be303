using System.Diagnostics;
using OpenTelemetry.Trace;

namespace LeadGen.Core.Persistence;

/// <summary>
/// Root sampler (used under <see cref="ParentBasedSampler"/>) that drops client spans with no parent: Redis and Postgres
/// commands issued outside any operation — the queue's idle XREADGROUP polls, heartbeats, retry/reclaim sweeps, relay
/// polls, gauge sampling. They are most of the spans of an idle Worker and tell nothing. Every span with a parent
/// (a request, a job's <c>process</c> span, the relay's batch span) follows its parent, so a job's commands stay traced.
/// </summary>
public sealed class BackgroundClientSpanSampler : Sampler
{
    public BackgroundClientSpanSampler() => Description = nameof(BackgroundClientSpanSampler);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        new(samplingParameters.Kind == ActivityKind.Client ? SamplingDecision.Drop : SamplingDecision.RecordAndSample);
}
