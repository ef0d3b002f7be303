namespace LeadGen.Simulator;

/// <summary>One thing the simulated caller does, in order.</summary>
public abstract record CallerStep
{
    /// <summary>Speak: stream this μ-law 8 kHz audio at real-time pace (20 ms frames).</summary>
    public sealed record Say(byte[] MuLaw, string Label = "") : CallerStep;

    public sealed record Pause(TimeSpan Duration) : CallerStep;

    /// <summary>Stay silent until the agent has spoken and gone quiet (all its audio played), or until the timeout.</summary>
    public sealed record WaitForAgent(TimeSpan Timeout, TimeSpan QuietFor) : CallerStep;

    /// <summary>Speak as soon as the agent starts talking, after <paramref name="After"/> of its audio has played (barge-in).</summary>
    public sealed record InterruptAgent(byte[] MuLaw, TimeSpan After, TimeSpan Timeout) : CallerStep;

    public sealed record PressKey(string Digit) : CallerStep;

    /// <summary>Send a raw text frame (malformed-input tests).</summary>
    public sealed record SendRaw(string Text) : CallerStep;

    public sealed record HangUp : CallerStep;

    /// <summary>
    /// Twilio's asynchronous answering-machine detection result arriving mid-call: a signed POST of CallSid,
    /// AccountSid, AnsweredBy and MachineDetectionDuration to <see cref="SimulatedCallOptions.AmdCallbackUrl"/>.
    /// </summary>
    public sealed record AnsweringMachineResult(string AnsweredBy, int DetectionMilliseconds = 3000) : CallerStep;
}
