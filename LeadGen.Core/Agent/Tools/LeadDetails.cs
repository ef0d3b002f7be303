namespace LeadGen.Core.Agent.Tools;

/// <summary>What <c>record_lead_details</c> learned; null fields are left as they were.</summary>
public sealed record LeadDetails
{
    public string? Need { get; init; }

    public decimal? Budget { get; init; }

    public string? Currency { get; init; }

    public bool? IsDecisionMaker { get; init; }

    /// <summary>ISO date (yyyy-MM-dd) or the lead's words.</summary>
    public string? Timeline { get; init; }

    public string? Email { get; init; }

    public string? Company { get; init; }

    public string? Role { get; init; }

    public string? Notes { get; init; }

    /// <summary>Answers to campaign questions by question key.</summary>
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();
}

/// <summary>One answer to a campaign question (the tool's <c>answers</c> array items).</summary>
public sealed record QuestionAnswer(string Key, string Answer);
