namespace LeadGen.Core.Telephony.Twilio;

/// <summary>Configuration section <c>Twilio</c>. The auth token is a secret (env <c>Twilio__AuthToken</c>), never logged.</summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    public string? FromNumber { get; set; }

    /// <summary>REST API root; overridable so tests can point the provider at a fake that speaks the same API.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com/");
}
