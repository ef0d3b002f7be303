namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Where Twilio's webhooks and the media stream live (the VoiceApi maps them): <c>POST voice</c> (TwiML),
/// <c>POST status</c>, <c>POST amd</c>, <c>GET media</c> (WebSocket); the one place that knows those paths.
/// </summary>
public static class TwilioWebhooks
{
    public const string BasePath = "/telephony/twilio";
    public const string VoicePath = BasePath + "/voice";
    public const string StatusPath = BasePath + "/status";
    public const string AmdPath = BasePath + "/amd";
    public const string MediaPath = BasePath + "/media";

    public static Uri Url(TelephonyOptions options, string path, Guid? callId = null)
    {
        var baseUrl = options.PublicBaseUrl ?? throw new InvalidOperationException("PublicBaseUrl must be configured for telephony.");
        return new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + path + (callId is { } id ? $"?callId={id}" : string.Empty));
    }
}
