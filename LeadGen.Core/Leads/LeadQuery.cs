namespace LeadGen.Core.Leads;

/// <summary>Filters for the lead list. Paging is keyset on id (UUIDv7: creation order), so pages never shift.</summary>
public sealed record LeadQuery
{
    public Guid? CampaignId { get; init; }

    public string? Status { get; init; }

    /// <summary>Exact E.164 number.</summary>
    public string? Phone { get; init; }

    /// <summary>Case-insensitive substring of name, email or company.</summary>
    public string? Search { get; init; }

    public Guid? After { get; init; }

    public int Limit { get; init; } = 50;
}

/// <param name="Items">This page, in id order.</param>
/// <param name="NextCursor">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, Guid? NextCursor);
