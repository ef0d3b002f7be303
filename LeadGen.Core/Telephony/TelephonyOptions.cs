namespace LeadGen.Core.Telephony;

/// <summary>Configuration section <c>Telephony</c> plus the root <c>PublicBaseUrl</c>.</summary>
public sealed class TelephonyOptions
{
    public const string SectionName = "Telephony";

    /// <summary><c>twilio</c> (real calls) or <c>simulator</c> (the in-process telephony simulator).</summary>
    public string Provider { get; set; } = TelephonyProviderNames.Twilio;

    /// <summary>
    /// The externally reachable base URL of the voice API (https://…). Webhook signatures are computed by Twilio over
    /// this URL, and the media WebSocket URL in TwiML is derived from it. Bound from the root key <c>PublicBaseUrl</c>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Secret for signing media-stream and ConversationRelay tokens (shared by every instance), its own secret so it
    /// rotates apart from Twilio's credentials. Without it the key derives from <c>Twilio:AuthToken</c> (warned); with
    /// neither, a random per-process key is used (fine for one local instance only).
    /// </summary>
    public string? StreamTokenKey { get; set; }

    /// <summary>How long a media-stream token stays valid after the voice webhook issued it.</summary>
    public TimeSpan StreamTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>E.164 number <c>transfer_to_human</c> dials when the campaign names none.</summary>
    public string? TransferNumber { get; set; }
}

public static class TelephonyProviderNames
{
    public const string Twilio = "twilio";
    public const string Simulator = "simulator";
}
