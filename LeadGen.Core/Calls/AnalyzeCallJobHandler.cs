using LeadGen.Core.Agent;
using LeadGen.Core.Calls.Costs;
using LeadGen.Core.Queue;

namespace LeadGen.Core.Calls;

/// <summary>Payload of an <c>analyze-call</c> job, enqueued (in the same transaction) when a call ends.</summary>
public sealed record AnalyzeCallJob(Guid CallId);

/// <summary>
/// Runs post-call analysis through the agent's <see cref="ICallAnalyzer"/> (idempotent by contract), then prices the
/// call (<see cref="CallCostRecorder"/>, in the job's transaction) with every token counted, the analysis's included.
/// The analyzer writes with its own connections, so its effects are not in the job's transaction: a rerun after a crash
/// analyses again, which the contract makes harmless. Consumed only by Workers that have an analyzer registered.
/// </summary>
public sealed class AnalyzeCallJobHandler(ICallAnalyzer analyzer, CallCostRecorder costs) : JobHandler<AnalyzeCallJob>
{
    protected override async Task HandleAsync(AnalyzeCallJob payload, JobContext context, CancellationToken cancellationToken)
    {
        await analyzer.AnalyzeAsync(payload.CallId, cancellationToken);
        await costs.RecordAsync(payload.CallId, context.Connection, context.Transaction, cancellationToken);
    }
}
