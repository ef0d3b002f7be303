using System.Diagnostics.Metrics;
using LeadGen.Core.Calls.Live;

namespace LeadGen.Core.Calls.Costs;

/// <summary>Call cost metrics, on the calls meter (<see cref="CallMetrics.MeterName"/>).</summary>
public sealed class CallCostTelemetry
{
    public CallCostTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CallMetrics.MeterName);
        Cost = meter.CreateHistogram<double>("leadgen.call.cost", "USD", "What a finished call cost: model tokens plus telephony minutes, from the configured price table.");
    }

    /// <summary>Tagged with <c>leadgen.call.provider</c> and <c>gen_ai.request.model</c>.</summary>
    public Histogram<double> Cost { get; }
}
