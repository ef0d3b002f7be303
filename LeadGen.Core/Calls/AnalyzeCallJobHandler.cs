using LeadGen.Core.Agent;
using LeadGen.Core.Queue;

namespace LeadGen.Core.Calls;

/// <summary>Payload of an <c>analyze-call</c> job, enqueued (in the same transaction) when a call ends.</summary>
public sealed record AnalyzeCallJob(Guid CallId);

/// <summary>
/// Runs post-call analysis through the agent's <see cref="ICallAnalyzer"/> (idempotent by contract). The analyzer
/// writes with its own connections, so its effects are not in the job's transaction: a rerun after a crash
/// analyses again, which the contract makes harmless. Consumed only by Workers that have an analyzer registered.
/// </summary>
public sealed class AnalyzeCallJobHandler(ICallAnalyzer analyzer) : JobHandler<AnalyzeCallJob>
{
    protected override Task HandleAsync(AnalyzeCallJob payload, JobContext context, CancellationToken cancellationToken) =>
        analyzer.AnalyzeAsync(payload.CallId, cancellationToken);
}
