namespace LeadGen.Core.Agent;

/// <summary>How a conversation ended, as the agent's <c>end_call</c> tool reports it (wire values in snake_case).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ConversationOutcome>))]
public enum ConversationOutcome
{
    Qualified,
    Disqualified,
    Callback,
    DoNotCall,
    Transferred,
    NoInterest,
}

public static class ConversationOutcomeNames
{
    public static string ToWire(this ConversationOutcome outcome) => outcome switch
    {
        ConversationOutcome.Qualified => "qualified",
        ConversationOutcome.Disqualified => "disqualified",
        ConversationOutcome.Callback => "callback",
        ConversationOutcome.DoNotCall => "do_not_call",
        ConversationOutcome.Transferred => "transferred",
        ConversationOutcome.NoInterest => "no_interest",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static bool TryParse(string? value, out ConversationOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<ConversationOutcome>())
        {
            if (string.Equals(candidate.ToWire(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
