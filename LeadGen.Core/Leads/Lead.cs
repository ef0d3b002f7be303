using System.Text.Json.Nodes;

namespace LeadGen.Core.Leads;

/// <summary>One person to call for one campaign. Phone is E.164 and unique within the campaign (null once erased).</summary>
public sealed record Lead
{
    public required Guid Id { get; init; }

    public required Guid CampaignId { get; init; }

    public string? Name { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }

    public string? Role { get; init; }

    /// <summary>IANA zone (given, or derived from the number when unambiguous); null when unknown.</summary>
    public string? TimeZone { get; init; }

    public string? Source { get; init; }

    public DateTimeOffset? ConsentGivenAt { get; init; }

    public string? ConsentMethod { get; init; }

    public required string Status { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>0-100 after qualification; null before.</summary>
    public int? Score { get; init; }

    /// <summary>Answers keyed by the campaign's qualification question keys (plus need/budget/authority/timeline).</summary>
    public JsonObject Qualification { get; init; } = [];

    public Guid? ImportId { get; init; }

    public DateTimeOffset? ErasedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The lead lifecycle: new → queued → calling → qualified / disqualified / callback / do_not_call / unreachable.</summary>
public static class LeadStatuses
{
    public const string New = "new";
    public const string Queued = "queued";
    public const string Calling = "calling";
    public const string Qualified = "qualified";
    public const string Disqualified = "disqualified";
    public const string Callback = "callback";
    public const string DoNotCall = "do_not_call";
    public const string Unreachable = "unreachable";

    public static IReadOnlyList<string> All { get; } = [New, Queued, Calling, Qualified, Disqualified, Callback, DoNotCall, Unreachable];
}

/// <summary>The personal and contact fields of a new lead (already validated and normalised).</summary>
public sealed record NewLead
{
    public string? Name { get; init; }

    public required string Phone { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }

    public string? Role { get; init; }

    public string? TimeZone { get; init; }

    public string? Source { get; init; }

    public DateTimeOffset? ConsentGivenAt { get; init; }

    public string? ConsentMethod { get; init; }
}
