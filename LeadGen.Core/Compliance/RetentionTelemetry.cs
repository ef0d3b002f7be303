using System.Diagnostics.Metrics;

namespace LeadGen.Core.Compliance;

/// <summary>Retention metrics (Meter <c>LeadGen.Retention</c>).</summary>
public sealed class RetentionTelemetry
{
    public const string MeterName = "LeadGen.Retention";

    public RetentionTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Deleted = meter.CreateCounter<long>("leadgen.retention.deleted", "{item}", "Items deleted by retention, by kind.");
    }

    /// <summary>Tagged with <c>leadgen.retention.kind</c>.</summary>
    public Counter<long> Deleted { get; }
}
