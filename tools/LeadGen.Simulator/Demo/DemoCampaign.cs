using LeadGen.Core.Campaigns;

namespace LeadGen.Simulator;

/// <summary>
/// The campaign the personas are written for (the demo seeder and the evals use it): a solar installer qualifying
/// homeowners in ConversationRelay mode, asking need, budget, authority, timeline, e-mail and consent in that order.
/// </summary>
public static class DemoCampaign
{
    public const string Name = "Demo: solar quotes (simulated leads)";

    public static CampaignSettings Settings { get; } = new()
    {
        Description = "Seeded for local runs: every lead is a simulated persona (Telephony:Simulator:Personas).",
        PersonaName = "Ava",
        CompanyName = "Acme Solar",
        ProductName = "Rooftop solar",
        ProductFacts = "Rooftop solar panels with installation.\nA typical home system costs $15,000 to $40,000 before incentives.",
        VoiceMode = VoiceModes.ConversationRelay,
        // Enough calls at once that the first minute shows every kind of outcome (a simulated call lasts about one).
        MaxConcurrentCalls = 20,
        QualificationQuestions =
        [
            new QualificationQuestion("need", "Are you looking to lower your electricity bills with solar panels?"),
            new QualificationQuestion("budget", "What budget do you have in mind for the installation?"),
            new QualificationQuestion("authority", "Are you the person who makes the decision on this?"),
            new QualificationQuestion("timeline", "When would you like the installation done?"),
            new QualificationQuestion("email", "What e-mail address should we send the proposal to?"),
            new QualificationQuestion("consent", "Is it okay if a specialist calls you about the proposal?"),
        ],
        // Simulated leads: any hour is fine for them, but the dialer still applies the legal 08:00-21:00 window.
        CallingWindowStart = new TimeOnly(8, 0),
        CallingWindowEnd = new TimeOnly(21, 0),
        ConsentRequired = false,
        MaxAttempts = 2,
        RetrySpacingMinutes = 60,
        TransferNumber = "+12125550100",
        VoicemailAction = VoicemailActions.LeaveMessage,
        VoicemailMessage = "Hi, this is Ava, an AI assistant from Acme Solar, about your solar quote. We'll try you again soon. Goodbye.",
    };
}
