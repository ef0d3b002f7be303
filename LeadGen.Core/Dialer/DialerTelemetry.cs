using System.Diagnostics.Metrics;
using LeadGen.Core.Compliance;

namespace LeadGen.Core.Dialer;

/// <summary>Dialer metrics (Meter <c>LeadGen.Dialer</c>).</summary>
public sealed class DialerTelemetry
{
    public const string Name = "LeadGen.Dialer";

    public DialerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        CallsScheduled = meter.CreateCounter<long>("leadgen.dialer.calls.scheduled", "{call}", "Calls queued by the dialer for eligible leads.");
        LeadsSkipped = meter.CreateCounter<long>("leadgen.dialer.leads.skipped", "{lead}", "Candidates the eligibility policy refused, by reason.");
        CallsPlaced = meter.CreateCounter<long>("leadgen.dialer.calls.placed", "{call}", "Calls handed to the telephony provider.");
        CallsCanceled = meter.CreateCounter<long>("leadgen.dialer.calls.canceled", "{call}", "Queued calls cancelled at dial time (the lead was no longer eligible), by reason.");
        DialFailures = meter.CreateCounter<long>("leadgen.dialer.calls.dial_failed", "{call}", "Calls the telephony provider refused or failed to place.");
        CallsReaped = meter.CreateCounter<long>("leadgen.dialer.calls.reaped", "{call}", "Live calls the call reaper ended after no event past their status's bound, by status.");
    }

    public Counter<long> CallsScheduled { get; }

    public Counter<long> LeadsSkipped { get; }

    public Counter<long> CallsPlaced { get; }

    public Counter<long> CallsCanceled { get; }

    public Counter<long> DialFailures { get; }

    public Counter<long> CallsReaped { get; }

    internal static KeyValuePair<string, object?> ReasonTag(IneligibilityReason? reason) =>
        new("leadgen.dialer.reason", reason?.ToString() ?? "none");
}
