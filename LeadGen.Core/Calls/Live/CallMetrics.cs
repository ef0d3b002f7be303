using System.Diagnostics.Metrics;

namespace LeadGen.Core.Calls.Live;

/// <summary>Meter <c>LeadGen.Calls</c>: live calls, per-turn latency, frames dropped by the bridge.</summary>
public sealed class CallMetrics
{
    public const string MeterName = "LeadGen.Calls";

    public CallMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        TurnLatency = meter.CreateHistogram<double>(
            "leadgen.call.turn.latency", unit: "ms",
            description: "Caller stops speaking → first agent audio frame sent to the caller.");
        ActiveCalls = meter.CreateUpDownCounter<long>("leadgen.call.active", unit: "{call}", description: "Media streams bridged right now.");
        MalformedFrames = meter.CreateCounter<long>("leadgen.call.frames.malformed", unit: "{frame}", description: "Media Streams frames that could not be read (skipped).");
        BargeIns = meter.CreateCounter<long>("leadgen.call.barge_in", unit: "{event}", description: "Agent turns cut short by the caller.");
    }

    public Histogram<double> TurnLatency { get; }

    public UpDownCounter<long> ActiveCalls { get; }

    public Counter<long> MalformedFrames { get; }

    public Counter<long> BargeIns { get; }
}
