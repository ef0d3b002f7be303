using System.Security.Cryptography;

namespace LeadGen.Simulator;

/// <summary>What every simulated call has in common with Twilio's side of a call: who calls whom, and where the webhooks go.</summary>
public abstract record SimulatedCallLegOptions
{
    /// <summary>The voice webhook, exactly as Twilio would call it (it is signed over this URL).</summary>
    public required Uri VoiceUrl { get; init; }

    /// <summary>Status callback to report <c>completed</c> to at the end (optional).</summary>
    public Uri? StatusCallbackUrl { get; init; }

    /// <summary>Where the answering-machine detection result is posted (Twilio's AsyncAmdStatusCallback).</summary>
    public Uri? AmdCallbackUrl { get; init; }

    /// <summary>Ends the stream or session as Twilio would when the server hangs up or redirects the call through the provider.</summary>
    public SimulatedCallControl? Control { get; init; }

    /// <summary>The account's auth token: webhooks are signed with it.</summary>
    public required string AuthToken { get; init; }

    public string CallSid { get; init; } = NewSid("CA");

    public string AccountSid { get; init; } = "AC" + new string('0', 32);

    public string From { get; init; } = "+15550100001";

    public string To { get; init; } = "+15550100002";

    /// <summary>outbound-api for dialer calls, inbound for calls to our number.</summary>
    public string Direction { get; init; } = "outbound-api";

    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(3);

    public static string NewSid(string prefix) => prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
