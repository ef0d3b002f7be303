using System.Diagnostics.Metrics;
using LeadGen.Core.Calls.Live;

namespace LeadGen.Core.Calls.Recording;

/// <summary>Call recording metrics, on the calls meter (<see cref="CallMetrics.MeterName"/>).</summary>
public sealed class RecordingTelemetry
{
    public RecordingTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(CallMetrics.MeterName);
        Recordings = meter.CreateCounter<long>("leadgen.call.recordings", "{recording}", "Call recordings by outcome (saved, empty, discarded, failed).");
    }

    /// <summary>Tagged with <c>outcome</c>.</summary>
    public Counter<long> Recordings { get; }
}
