namespace LeadGen.Core.Dialer;

/// <summary>Settings of the dialer (configuration section <c>Dialer</c>).</summary>
public sealed class DialerOptions
{
    public const string SectionName = "Dialer";

    /// <summary>How often a dialer job is scheduled for every running campaign.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Live calls allowed per campaign when the campaign sets no <c>max_concurrent_calls</c>.</summary>
    public int DefaultMaxConcurrentCalls { get; set; } = 2;

    /// <summary>New calls one dialer run may start for one campaign (pacing on top of the concurrency cap).</summary>
    public int MaxNewCallsPerRun { get; set; } = 10;

    /// <summary>Candidates one run examines at most (bounds the work when many leads are outside their window).</summary>
    public int ScanLimit { get; set; } = 2_000;

    /// <summary>Ask the provider for answering-machine detection.</summary>
    public bool DetectAnsweringMachine { get; set; } = true;
}
