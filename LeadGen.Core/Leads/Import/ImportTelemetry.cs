using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LeadGen.Core.Leads.Import;

/// <summary>Lead import spans (ActivitySource <c>LeadGen.Leads.Import</c>) and metrics (Meter of the same name).</summary>
public sealed class ImportTelemetry
{
    public const string Name = "LeadGen.Leads.Import";

    public static readonly ActivitySource ActivitySource = new(Name);

    public ImportTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Rows = meter.CreateCounter<long>("leadgen.import.rows", "{row}", "Import rows by outcome");
    }

    /// <summary>Tagged with <c>outcome</c> (imported, rejected, duplicate).</summary>
    public Counter<long> Rows { get; }
}
