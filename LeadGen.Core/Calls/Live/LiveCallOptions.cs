namespace LeadGen.Core.Calls.Live;

/// <summary>Live-call settings that do not belong to one campaign.</summary>
public sealed class LiveCallOptions
{
    public const string SectionName = "LiveCalls";

    /// <summary>Where transfer_to_human goes when the campaign names no number (the telephony settings fill it in).</summary>
    public string? DefaultTransferNumber { get; set; }

    /// <summary>When a lead who heard the busy line (voice model at capacity) is called back.</summary>
    public TimeSpan CapacityCallbackDelay { get; set; } = TimeSpan.FromMinutes(30);
}
