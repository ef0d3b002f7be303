using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Per-call, short-lived, HMAC-SHA256-signed tokens that the voice webhook puts in the TwiML <c>&lt;Parameter&gt;</c>
/// and the media WebSocket checks before anything else: <c>v1.{callId}.{expiresUnixSeconds}.{signature}</c>.
/// The WebSocket is reachable by anyone on the internet; the token proves Twilio got it from our signed webhook.
/// </summary>
public sealed class StreamTokens
{
    private const string Version = "v1";
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public StreamTokens(IOptions<TelephonyOptions> telephony, IOptions<TwilioOptions> twilio, TimeProvider time, ILogger<StreamTokens> logger)
    {
        var secret = telephony.Value.StreamTokenKey;
        if (string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(twilio.Value.AuthToken))
        {
            // Works, but ties the keys together: rotating the auth token would refuse every token in flight.
            logger.LogWarning("No Telephony:StreamTokenKey configured: media-stream tokens are signed with a key derived from Twilio:AuthToken; give them their own secret.");
            secret = twilio.Value.AuthToken;
        }

        if (string.IsNullOrEmpty(secret))
        {
            logger.LogWarning("No Telephony:StreamTokenKey or Twilio:AuthToken configured: media-stream tokens use a random per-process key (single instance only).");
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
        {
            // Derive a dedicated key so the token signature never doubles as anything signed with the auth token itself.
            _key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), "leadgen-media-stream-token"u8);
        }

        _time = time;
        _lifetime = telephony.Value.StreamTokenLifetime;
    }

    public string Issue(Guid callId)
    {
        var expires = _time.GetUtcNow().Add(_lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = $"{Version}.{callId:N}.{expires}";
        return payload + "." + Base64Url.EncodeToString(Sign(payload));
    }

    public StreamTokenCheck Verify(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 4 } || parts[0] != Version)
        {
            return StreamTokenCheck.Fail("malformed token");
        }

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return StreamTokenCheck.Fail("malformed signature");
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign($"{parts[0]}.{parts[1]}.{parts[2]}")))
        {
            return StreamTokenCheck.Fail("bad signature");
        }

        if (!Guid.TryParseExact(parts[1], "N", out var callId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return StreamTokenCheck.Fail("malformed token");
        }

        return _time.GetUtcNow().ToUnixTimeSeconds() > expires
            ? StreamTokenCheck.Fail("expired token")
            : new StreamTokenCheck(true, callId, null);
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(payload));
}

public sealed record StreamTokenCheck(bool IsValid, Guid CallId, string? Problem)
{
    public static StreamTokenCheck Fail(string problem) => new(false, Guid.Empty, problem);
}
