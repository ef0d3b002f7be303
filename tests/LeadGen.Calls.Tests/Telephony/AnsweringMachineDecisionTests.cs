using LeadGen.Calls.Tests.Calls;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Telephony;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>What each Twilio AMD result does to a live call, per the campaign's voicemail policy (pure, in milliseconds).</summary>
public sealed class AnsweringMachineDecisionTests
{
    private static readonly Campaign LeaveMessage = Campaign(VoicemailActions.LeaveMessage, "Hi, this is Ava from Acme Solar. Please call us back.");
    private static readonly Campaign HangUp = Campaign(VoicemailActions.HangUp, null);

    [Theory]
    [InlineData(AnsweringMachineDetection.Human, "human")]
    [InlineData(AnsweringMachineDetection.Unknown, "unknown")] // treated as a person: hanging up on one is worse
    public void A_person_or_an_unknown_answer_lets_the_conversation_go_on(string answeredBy, string recorded)
    {
        var decision = AnsweringMachineDetection.Decide(answeredBy, LeaveMessage, callEnded: false)!;

        Assert.Equal((recorded, null, AnsweringMachineAction.Continue), (decision.AnsweredBy, decision.Disposition, decision.Action));
    }

    [Fact]
    public void A_machine_gets_the_campaigns_message_or_a_hang_up_and_machine_start_waits_for_the_beep()
    {
        var message = AnsweringMachineDetection.Decide(AnsweringMachineDetection.MachineEndBeep, LeaveMessage, callEnded: false)!;
        Assert.Equal((CallDispositions.Voicemail, AnsweringMachineAction.LeaveMessage, LeaveMessage.Settings.VoicemailMessage), (message.Disposition, message.Action, message.Message));
        Assert.Equal(AnsweringMachineAction.WaitForBeep, AnsweringMachineDetection.Decide(AnsweringMachineDetection.MachineStart, LeaveMessage, false)!.Action);
        Assert.Equal(AnsweringMachineAction.HangUp, AnsweringMachineDetection.Decide(AnsweringMachineDetection.MachineStart, HangUp, false)!.Action);
        Assert.Equal((CallDispositions.Fax, AnsweringMachineAction.HangUp), Pair(AnsweringMachineDetection.Decide(AnsweringMachineDetection.Fax, LeaveMessage, false)!));
    }

    [Fact]
    public void An_ended_call_is_only_annotated_and_a_value_twilio_never_sends_is_refused()
    {
        var late = AnsweringMachineDetection.Decide(AnsweringMachineDetection.MachineEndBeep, LeaveMessage, callEnded: true)!;
        Assert.Equal((AnsweringMachineAction.Continue, null), (late.Action, late.Message));
        Assert.Null(AnsweringMachineDetection.Decide("robot", LeaveMessage, callEnded: false));
        Assert.Null(AnsweringMachineDetection.Decide(null, LeaveMessage, callEnded: false));
    }

    private static (string? Disposition, AnsweringMachineAction Action) Pair(AnsweringMachineDecision decision) => (decision.Disposition, decision.Action);

    private static Campaign Campaign(string voicemailAction, string? message) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Solar",
        Status = CampaignStatuses.Running,
        Settings = VoiceApiHost.DefaultCampaign with { VoicemailAction = voicemailAction, VoicemailMessage = message },
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
