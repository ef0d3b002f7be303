namespace LeadGen.Core.Calls;

/// <summary>A callback the lead asked for; the dialer calls again at <see cref="ScheduledFor"/>.</summary>
public sealed record Callback
{
    public required Guid Id { get; init; }

    public required Guid LeadId { get; init; }

    public required Guid CampaignId { get; init; }

    public Guid? CallId { get; init; }

    public required DateTimeOffset ScheduledFor { get; init; }

    public string? Note { get; init; }

    /// <summary>scheduled | done | canceled.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
