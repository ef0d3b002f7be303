namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Configuration section <c>Twilio</c>. Each secret has one job, so rotating one leaves the others alone: the REST API
/// key (<c>Twilio__ApiKeySid</c> + <c>Twilio__ApiKeySecret</c>) places and changes calls, and the auth token
/// (<c>Twilio__AuthToken</c>) only validates Twilio's webhook signatures (Twilio signs with it, so nothing else can).
/// Secrets are never logged.
/// </summary>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Validates webhook signatures; the REST API uses it only when no API key is configured.</summary>
    public string? AuthToken { get; set; }

    /// <summary>A Twilio API key's SID (<c>SK…</c>): the HTTP Basic user name for the REST API.</summary>
    public string? ApiKeySid { get; set; }

    /// <summary>The API key's secret: the HTTP Basic password for the REST API.</summary>
    public string? ApiKeySecret { get; set; }

    public string? FromNumber { get; set; }

    /// <summary>REST API root; overridable so tests can point the provider at a fake that speaks the same API.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.twilio.com/");

    /// <summary>
    /// HTTP Basic credentials for the REST API: the API key (SID : secret) when configured — Twilio accepts an API key
    /// as user name for the account in the URL — otherwise the account SID and auth token; null when neither is complete.
    /// </summary>
    public (string User, string Password)? RestCredentials()
    {
        if (!string.IsNullOrEmpty(ApiKeySid) || !string.IsNullOrEmpty(ApiKeySecret))
        {
            return string.IsNullOrEmpty(ApiKeySid) || string.IsNullOrEmpty(ApiKeySecret) ? null : (ApiKeySid, ApiKeySecret);
        }

        return string.IsNullOrEmpty(AccountSid) || string.IsNullOrEmpty(AuthToken) ? null : (AccountSid, AuthToken);
    }
}
