namespace LeadGen.Core.Agent;

/// <summary>The fixed lines every call uses, derived from the campaign (the offline engine speaks exactly these).</summary>
public sealed record AgentScript(AgentCampaign Campaign, string LeadFirstName)
{
    /// <summary>Said in the disclosure only when the campaign records its calls.</summary>
    public const string RecordingNotice = "This call may be recorded. ";

    /// <summary>
    /// The AI disclosure and opt-out offer said at the start of every call (compliance, DESIGN.md decision 6), with the
    /// recording notice when the campaign records calls.
    /// </summary>
    public string Disclosure =>
        $"Hi{(string.IsNullOrWhiteSpace(LeadFirstName) ? string.Empty : " " + LeadFirstName)}, this is {Campaign.AgentName}, "
        + $"an AI assistant calling on behalf of {Campaign.CompanyName}. {(Campaign.RecordsCalls ? RecordingNotice : string.Empty)}"
        + "If you'd rather not be called again, just say so and we'll remove your number.";

    public string OptOutConfirmation =>
        $"Understood. I've removed your number and {Campaign.CompanyName} won't call you again. Sorry for the interruption, goodbye.";

    public static string TransferLine => "Of course, I'm connecting you with a member of our team now. Please hold.";

    public static string CallbackLine(string when) => $"No problem, I've booked a callback for {when}. Talk to you then, goodbye.";

    public string ClosingQualified =>
        $"Thank you, that's everything I needed. A specialist from {Campaign.CompanyName} will follow up with you shortly. Goodbye!";

    public static string ClosingNotQualified =>
        $"Thank you for your time. It sounds like now may not be the right moment, so we'll leave it there. Goodbye!";

    /// <summary>Said when the lead declines ("not interested", "we're happy with what we have"): no more questions.</summary>
    public static string ClosingNotInterested =>
        "No problem at all, I won't take any more of your time. Thank you, and have a good day. Goodbye!";

    /// <summary>Said when the model is rate limited or unavailable: the lead's words are kept and the turn can be retried.</summary>
    public static string HoldingLine => "Sorry, give me just a moment — could you say that once more?";
}
