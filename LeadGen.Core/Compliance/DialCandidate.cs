namespace LeadGen.Core.Compliance;

/// <summary>What the eligibility policy needs to know about a lead (read in the dialer's transaction).</summary>
public sealed record DialCandidate
{
    public required Guid LeadId { get; init; }

    public required Guid CampaignId { get; init; }

    public string? Phone { get; init; }

    /// <summary>The lead's explicit IANA zone, if any.</summary>
    public string? TimeZone { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset? ConsentGivenAt { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public bool OnDoNotCallList { get; init; }

    public DateTimeOffset? ErasedAt { get; init; }
}

/// <summary>The campaign's calling rules that bear on eligibility.</summary>
public sealed record DialRules
{
    public bool ConsentRequired { get; init; } = true;

    public int MaxAttempts { get; init; } = 3;

    public TimeSpan RetrySpacing { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Campaign window in the lead's local time; the legal 08:00–21:00 window always applies on top.</summary>
    public TimeOnly WindowStart { get; init; } = new(9, 0);

    public TimeOnly WindowEnd { get; init; } = new(20, 0);

    public string? DefaultTimeZone { get; init; }
}
