using Microsoft.Extensions.Options;
using Twilio.Security;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the Twilio SDK's <see cref="RequestValidator"/> over plain values (the host
/// reads the header, the path and the form). The URL Twilio signed is the public one (<c>PublicBaseUrl</c> + path +
/// query): behind a proxy or Cloud Run the request's own host differs.
/// </summary>
public sealed class TwilioSignature(IOptions<TwilioOptions> twilio, IOptions<TelephonyOptions> telephony)
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>
    /// The refusals decided before the body is read (nothing configured, no header), so an unsigned request is a 403
    /// whatever its body; null when the request may be validated.
    /// </summary>
    public TwilioSignatureResult? Precheck(string? signature, string accepting = "webhooks")
    {
        if (string.IsNullOrEmpty(twilio.Value.AuthToken) || telephony.Value.PublicBaseUrl is null)
        {
            return TwilioSignatureResult.Rejected($"Twilio:AuthToken and PublicBaseUrl must be configured to accept {accepting}.");
        }

        return string.IsNullOrEmpty(signature) ? TwilioSignatureResult.Rejected($"Missing {HeaderName} header.") : null;
    }

    /// <summary>True when a webhook (path + query as received, its form fields) is signed with our auth token.</summary>
    public TwilioSignatureResult Validate(string pathAndQuery, IReadOnlyDictionary<string, string> form, string? signature)
    {
        if (Precheck(signature) is { } refused)
        {
            return refused;
        }

        var url = PublicUrl(telephony.Value.PublicBaseUrl!, pathAndQuery);
        return new RequestValidator(twilio.Value.AuthToken).Validate(url, form.ToDictionary(StringComparer.Ordinal), signature)
            ? TwilioSignatureResult.Valid(form)
            : TwilioSignatureResult.Rejected("Signature does not match.");
    }

    /// <summary>
    /// Checks the signature Twilio puts on a WebSocket upgrade (ConversationRelay): the same scheme over the socket's
    /// public URL as Twilio dialled it (<c>wss://</c>, or <c>ws://</c> when PublicBaseUrl is http; the https form is
    /// accepted too) and no parameters.
    /// </summary>
    public TwilioSignatureResult ValidateWebSocket(string pathAndQuery, string? signature)
    {
        if (Precheck(signature, "Twilio sockets") is { } refused)
        {
            return refused;
        }

        // Twilio documents the same scheme as webhooks over "the URL": the wss:// URL it dialled. Its docs do not spell
        // out the scheme, so the https:// form of the same URL is accepted too (still our auth token over our own URL).
        var baseUrl = telephony.Value.PublicBaseUrl!;
        var https = PublicUrl(baseUrl, pathAndQuery);
        var wss = new UriBuilder(https) { Scheme = WebSocketScheme(baseUrl) }.Uri.ToString();
        var validator = new RequestValidator(twilio.Value.AuthToken);
        var none = new Dictionary<string, string>();
        return validator.Validate(wss, none, signature) || validator.Validate(https, none, signature)
            ? TwilioSignatureResult.Valid(none)
            : TwilioSignatureResult.Rejected("Signature does not match.");
    }

    /// <summary>wss for an https public URL, ws for http (local runs).</summary>
    public static string WebSocketScheme(Uri baseUrl) => baseUrl.Scheme == Uri.UriSchemeHttp ? "ws" : "wss";

    /// <param name="pathAndQuery">The request's escaped path base, path and query string, as received.</param>
    public static string PublicUrl(Uri baseUrl, string pathAndQuery) =>
        baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + pathAndQuery;
}

public sealed record TwilioSignatureResult(bool IsValid, string? Problem, IReadOnlyDictionary<string, string> Form)
{
    /// <summary>The request body was not a readable form (a 400, not a signature failure).</summary>
    public bool IsUnreadable { get; private init; }

    public static TwilioSignatureResult Unreadable(string problem) => Rejected(problem) with { IsUnreadable = true };

    public static TwilioSignatureResult Valid(IReadOnlyDictionary<string, string> form) => new(true, null, form);

    public static TwilioSignatureResult Rejected(string problem) => new(false, problem, new Dictionary<string, string>());

    public string? Field(string name) => Form.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
