using LeadGen.Core.Agent;
using LeadGen.Core.Campaigns;
using LeadGen.Simulator;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>The shipped personas, how a lead maps to one, and how a persona hears the agent's questions.</summary>
public sealed class PersonaTests
{
    private static readonly string[] Outcomes = ["qualified", "disqualified", "callback", "do_not_call", "transferred", "voicemail", "no_verdict"];

    [Fact]
    public void At_least_twelve_diverse_personas_ship_each_with_a_known_expected_outcome()
    {
        var personas = PersonaCatalog.Default.Personas;

        Assert.True(personas.Count >= 12, $"{personas.Count} personas");
        Assert.All(personas, persona => Assert.Contains(persona.Expected.Outcome, Outcomes));
        Assert.True(personas.Select(persona => persona.Expected.Outcome).Distinct().Count() >= 6, "personas should cover most outcomes");
        Assert.Contains(personas, persona => persona.Interrupt is not null);
        Assert.Contains(personas, persona => persona.Voicemail);
        Assert.Contains(personas, persona => persona.Turns.Any(turn => turn.Press == "9"));
        Assert.Contains(personas, persona => persona.Turns.Any(turn => turn.Silent));
        Assert.Contains(personas, persona => persona.Expected.CallbackHour is not null);
    }

    [Fact]
    public void A_number_maps_to_the_same_persona_every_time_and_PhoneFor_finds_a_number_for_each()
    {
        var catalog = PersonaCatalog.Default;
        foreach (var persona in catalog.Personas)
        {
            var phone = catalog.PhoneFor(persona, 42);
            Assert.Matches(@"^\+1212555\d{4}$", phone);
            Assert.Equal(persona.Id, catalog.ForPhone(phone).Id);
            Assert.Equal(persona.Id, catalog.ForPhone(phone).Id);
        }

        // Weighted: over many numbers every persona gets leads, the heavier ones more.
        var counts = Enumerable.Range(0, 5000).Select(n => catalog.ForPhone($"+1212555{n:D4}").Id).CountBy(id => id).ToDictionary();
        Assert.Equal(catalog.Personas.Count, counts.Count);
        Assert.True(counts["eager-buyer"] > counts["silent"], "weight 4 should beat weight 2");
    }

    [Fact]
    public void The_persona_hears_which_question_the_demo_campaigns_agent_asks()
    {
        var kinds = DemoCampaign.Settings.QualificationQuestions.Select(question => PersonaCaller.QuestionKind("Thank you. " + question.Question)).ToList();

        Assert.Equal(["need", "budget", "authority", "timeline", "email", "consent"], kinds);
        Assert.Null(PersonaCaller.QuestionKind(AgentScript.ClosingNotQualified));
        Assert.Equal("other", PersonaCaller.QuestionKind("Are you still there? I'm happy to wait a moment."));
    }

    [Fact]
    public void A_persona_answers_by_kind_and_scripted_turns_come_first()
    {
        var eager = PersonaCatalog.Default.Get("eager-buyer");
        var caller = new PersonaCaller(eager);

        var first = Assert.IsType<RelayCallerAction.Say>(caller.OnAgentReply("Hi, this is Ava. " + DemoCampaign.Settings.QualificationQuestions[0].Question));
        Assert.Equal(eager.Answers["need"], first.Text);
        Assert.IsType<RelayCallerAction.StaySilent>(caller.OnAgentReply("Thank you for your time. Goodbye!"));

        var nine = new PersonaCaller(PersonaCatalog.Default.Get("presses-nine"));
        Assert.Equal("9", Assert.IsType<RelayCallerAction.Press>(nine.OnAgentReply("Hi. Are you looking to lower your bills?")).Digit);

        var interrupter = new PersonaCaller(PersonaCatalog.Default.Get("interrupter"));
        Assert.IsType<RelayCallerAction.InterruptNext>(interrupter.OnAgentReply("Hi, this is Ava, an AI assistant calling on behalf of Acme Solar."));
    }

    [Fact]
    public void A_persona_without_an_expected_outcome_is_refused() =>
        Assert.Throws<FormatException>(() => PersonaCatalog.Parse("broken", "summary: no expectation\n"));

    [Fact]
    public void The_demo_campaign_is_a_conversation_relay_campaign() =>
        Assert.Equal(VoiceModes.ConversationRelay, DemoCampaign.Settings.VoiceMode);
}
