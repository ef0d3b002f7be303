using System.Diagnostics.Metrics;

namespace LeadGen.Core.Reporting;

/// <summary>
/// Meter <c>LeadGen.Outcomes</c>: how calls and conversations end — the inputs of the answer and qualification rates on
/// the Cloud Monitoring dashboard (infra/terraform/modules/monitoring). In Cloud Monitoring (Managed Service for
/// Prometheus) they are <c>leadgen_call_ended_total</c> and <c>leadgen_conversation_ended_total</c>. Registered by the
/// features that record them (the call lifecycle's and the agent's Add…).
/// </summary>
public sealed class OutcomeMetrics
{
    public const string MeterName = "LeadGen.Outcomes";

    public OutcomeMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        CallsEnded = meter.CreateCounter<long>(
            "leadgen.call.ended", "{call}", "Calls that reached a final status, counted when it is written.");
        ConversationsEnded = meter.CreateCounter<long>(
            "leadgen.conversation.ended", "{conversation}", "Conversations the agent ended (end_call), counted after the outcome is committed.");
    }

    /// <summary>Tags: <c>status</c> (completed = answered by a person or a machine; busy, no_answer, failed, canceled) and <c>direction</c>.</summary>
    public Counter<long> CallsEnded { get; }

    /// <summary>Tag: <c>outcome</c> (qualified, disqualified, callback, do_not_call, transferred, no_interest).</summary>
    public Counter<long> ConversationsEnded { get; }
}
