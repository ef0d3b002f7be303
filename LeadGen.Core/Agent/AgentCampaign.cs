namespace LeadGen.Core.Agent;

/// <summary>
/// What the agent needs to know about a campaign to hold a qualification conversation: who it is, what it sells, and
/// which questions to ask in which order. Built from the campaign record (see CampaignAgentMapper).
/// </summary>
public sealed record AgentCampaign
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The agent's first name as it introduces itself ("Ava").</summary>
    public string AgentName { get; init; } = "Alex";

    /// <summary>Tone and style guidance ("warm, concise, professional").</summary>
    public string? Persona { get; init; }

    public required string CompanyName { get; init; }

    public string? ProductDescription { get; init; }

    /// <summary>Facts the agent may state (prices, features, availability); it must not invent others.</summary>
    public IReadOnlyList<string> Facts { get; init; } = [];

    /// <summary>Asked in this order.</summary>
    public required IReadOnlyList<AgentQuestion> Questions { get; init; }

    /// <summary>Whether the call is recorded: the disclosure says so only then.</summary>
    public bool RecordsCalls { get; init; } = true;

    /// <summary>Extra operator instructions appended to the system prompt.</summary>
    public string? AdditionalInstructions { get; init; }

    /// <summary>BCP-47 language the conversation is held in (the campaign's).</summary>
    public string Language { get; init; } = "en-US";
}

/// <param name="Key">Where the answer is stored in the lead's qualification fields (e.g. "budget").</param>
/// <param name="Text">The question as the agent asks it.</param>
/// <param name="Kind">What kind of answer it expects (drives the offline engine's extraction).</param>
public sealed record AgentQuestion(string Key, string Text, AnswerKind Kind);

public enum AnswerKind
{
    Text,
    YesNo,
    Number,
    Money,
    Date,
    Email,
}
