namespace LeadGen.Core.Agent;

/// <summary>How a conversation ended, as the agent's <c>end_call</c> tool reports it (wire values in snake_case).</summary>
public enum CallOutcome
{
    Qualified,
    Disqualified,
    Callback,
    DoNotCall,
    Transferred,
    NoInterest,
}

public static class CallOutcomeNames
{
    public static string ToWire(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.Qualified => "qualified",
        CallOutcome.Disqualified => "disqualified",
        CallOutcome.Callback => "callback",
        CallOutcome.DoNotCall => "do_not_call",
        CallOutcome.Transferred => "transferred",
        CallOutcome.NoInterest => "no_interest",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static bool TryParse(string? value, out CallOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<CallOutcome>())
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
