namespace LeadGen.Simulator;

/// <summary>A simulated ConversationRelay call: who decides what the caller says, and how fast Twilio "speaks".</summary>
public sealed record SimulatedRelayCallOptions : SimulatedCallLegOptions
{
    /// <summary>Twilio's AnsweredBy to report (human, machine_end_beep, …) after the greeting; null: no detection result.</summary>
    public string? AnsweredBy { get; init; }

    public required IRelayCaller Caller { get; init; }

    /// <summary>How fast Twilio's text-to-speech "plays" the agent's words (real speech is ~160 a minute).</summary>
    public double WordsPerMinute { get; init; } = 160;

    /// <summary>Longest wait for the agent's next reply before the caller gives up and hangs up.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tests: replace the socket upgrade's signature (forgery) or the setup's custom parameters (bad token).</summary>
    public string? SocketSignatureOverride { get; init; }

    public Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>>? TamperParameters { get; init; }
}
