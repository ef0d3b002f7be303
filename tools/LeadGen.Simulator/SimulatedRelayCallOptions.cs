namespace LeadGen.Simulator;

public sealed record SimulatedRelayCallOptions
{
    /// <summary>The voice webhook, exactly as Twilio would call it (it is signed over this URL).</summary>
    public required Uri VoiceUrl { get; init; }

    public Uri? StatusCallbackUrl { get; init; }

    /// <summary>Where the answering-machine detection result is posted (after the greeting) when <see cref="AnsweredBy"/> is set.</summary>
    public Uri? AmdCallbackUrl { get; init; }

    /// <summary>Twilio's AnsweredBy to report (human, machine_end_beep, …); null: no detection result.</summary>
    public string? AnsweredBy { get; init; }

    public required string AuthToken { get; init; }

    public required IRelayCaller Caller { get; init; }

    /// <summary>Ends the session as Twilio would when the server hangs up or redirects the call through the provider.</summary>
    public SimulatedCallControl? Control { get; init; }

    public string CallSid { get; init; } = SimulatedCallOptions.NewSid("CA");

    public string AccountSid { get; init; } = "AC" + new string('0', 32);

    public string From { get; init; } = "+15550100001";

    public string To { get; init; } = "+15550100002";

    public string Direction { get; init; } = "outbound-api";

    /// <summary>How fast Twilio's text-to-speech "plays" the agent's words (real speech is ~160 a minute).</summary>
    public double WordsPerMinute { get; init; } = 160;

    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Longest wait for the agent's next reply before the caller gives up and hangs up.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tests: replace the socket upgrade's signature (forgery) or the setup's custom parameters (bad token).</summary>
    public string? SocketSignatureOverride { get; init; }

    public Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>>? TamperParameters { get; init; }
}
