namespace LeadGen.Core.Compliance;

/// <summary>How long call data is kept (configuration section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Recordings older than this (from the call's end) are deleted: the audio and the call's link to it.</summary>
    public TimeSpan Recordings { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Transcript turns older than this (from the call's end) are deleted.</summary>
    public TimeSpan Transcripts { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Queue idempotency markers older than this are pruned (far beyond any redelivery).</summary>
    public TimeSpan ProcessedJobMarkers { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often a retention job is scheduled.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}
