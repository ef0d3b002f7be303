using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;

namespace LeadGen.Core.Telephony;

/// <summary>What the server does on the live call after an answering-machine detection result.</summary>
public enum AnsweringMachineAction
{
    /// <summary>A person (or AMD could not tell): the conversation carries on untouched.</summary>
    Continue,

    /// <summary>The greeting is still playing: the message would be spoken over it and lost, so wait for the beep.</summary>
    WaitForBeep,

    /// <summary>Redirect the call to TwiML that says the campaign's voicemail message, then hangs up.</summary>
    LeaveMessage,

    /// <summary>End the call.</summary>
    HangUp,
}

/// <param name="AnsweredBy">Our calls.answered_by value: human, machine or unknown.</param>
/// <param name="Disposition">The call's disposition to record, or null to leave it alone.</param>
/// <param name="Message">The voicemail message when <paramref name="Action"/> is <see cref="AnsweringMachineAction.LeaveMessage"/>.</param>
public sealed record AnsweringMachineDecision(string AnsweredBy, string? Disposition, AnsweringMachineAction Action, string? Message = null);

/// <summary>
/// Twilio's asynchronous answering-machine detection (AMD) results and what each means for a campaign's call.
/// Our provider asks for <c>MachineDetection=DetectMessageEnd</c>, so Twilio reports once, after the greeting:
/// <c>machine_end_beep</c>, <c>machine_end_silence</c>, <c>machine_end_other</c>, <c>human</c>, <c>fax</c> or
/// <c>unknown</c>. <c>machine_start</c> (sent by <c>MachineDetection=Enable</c>, when the greeting has only begun) is
/// handled too: a hang_up campaign hangs up at once, a leave_message campaign waits for a machine_end_* result
/// rather than talking over the greeting (with Enable alone none follows, so no message is left — see the note).
/// </summary>
public static class AnsweringMachineDetection
{
    public const string Human = "human";
    public const string MachineStart = "machine_start";
    public const string MachineEndBeep = "machine_end_beep";
    public const string MachineEndSilence = "machine_end_silence";
    public const string MachineEndOther = "machine_end_other";
    public const string Fax = "fax";
    public const string Unknown = "unknown";

    public static IReadOnlyList<string> All { get; } = [Human, MachineStart, MachineEndBeep, MachineEndSilence, MachineEndOther, Fax, Unknown];

    /// <summary>
    /// The decision for one AMD result, or null when <paramref name="answeredBy"/> is not a Twilio AMD value.
    /// A call that has already ended is only annotated (nothing left to redirect or hang up).
    /// </summary>
    public static AnsweringMachineDecision? Decide(string? answeredBy, Campaign? campaign, bool callEnded)
    {
        if (answeredBy is null || !All.Contains(answeredBy))
        {
            return null;
        }

        var decision = answeredBy switch
        {
            // Unknown is treated as a person: hanging up on a person is worse than talking to a machine for a while.
            Human => new AnsweringMachineDecision("human", null, AnsweringMachineAction.Continue),
            Unknown => new AnsweringMachineDecision("unknown", null, AnsweringMachineAction.Continue),
            Fax => new AnsweringMachineDecision("machine", CallDispositions.Fax, AnsweringMachineAction.HangUp),
            _ => ForMachine(answeredBy, campaign),
        };
        return callEnded ? decision with { Action = AnsweringMachineAction.Continue, Message = null } : decision;
    }

    private static AnsweringMachineDecision ForMachine(string answeredBy, Campaign? campaign)
    {
        if (campaign?.Settings is not { VoicemailAction: VoicemailActions.LeaveMessage, VoicemailMessage: { Length: > 0 } message })
        {
            return new AnsweringMachineDecision("machine", CallDispositions.Voicemail, AnsweringMachineAction.HangUp);
        }

        // Waiting records no disposition yet: the disposition says a machine result was acted on (see CallLifecycle).
        return answeredBy == MachineStart
            ? new AnsweringMachineDecision("machine", null, AnsweringMachineAction.WaitForBeep)
            : new AnsweringMachineDecision("machine", CallDispositions.Voicemail, AnsweringMachineAction.LeaveMessage, message);
    }
}
