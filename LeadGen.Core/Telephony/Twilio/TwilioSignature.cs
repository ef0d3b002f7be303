using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the Twilio SDK's <see cref="RequestValidator"/>. The URL Twilio signed is the
/// public one (<c>PublicBaseUrl</c> + path + query): behind a proxy or Cloud Run the request's own host differs.
/// </summary>
public sealed class TwilioSignature(IOptions<TwilioOptions> twilio, IOptions<TelephonyOptions> telephony)
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>True when the request is signed with our auth token; reads (and buffers) the form.</summary>
    public async Task<TwilioSignatureResult> ValidateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var authToken = twilio.Value.AuthToken;
        var baseUrl = telephony.Value.PublicBaseUrl;
        if (string.IsNullOrEmpty(authToken) || baseUrl is null)
        {
            return TwilioSignatureResult.Rejected("Twilio:AuthToken and PublicBaseUrl must be configured to accept webhooks.");
        }

        var signature = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            return TwilioSignatureResult.Rejected($"Missing {HeaderName} header.");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
            {
                // Too many fields, NUL characters, a body over the limit: not a form Twilio sends (checked before the signature).
                return TwilioSignatureResult.Unreadable($"The form could not be read: {exception.Message}");
            }

            foreach (var field in form)
            {
                parameters[field.Key] = field.Value.ToString();
            }
        }

        var url = PublicUrl(baseUrl, request);
        return new RequestValidator(authToken).Validate(url, parameters, signature)
            ? TwilioSignatureResult.Valid(parameters)
            : TwilioSignatureResult.Rejected("Signature does not match.");
    }

    /// <summary>
    /// Checks the signature Twilio puts on a WebSocket upgrade (ConversationRelay): the same scheme over the socket's
    /// public URL as Twilio dialled it (<c>wss://</c>, or <c>ws://</c> when PublicBaseUrl is http; the https form is
    /// accepted too) and no parameters.
    /// </summary>
    public TwilioSignatureResult ValidateWebSocket(HttpRequest request)
    {
        var authToken = twilio.Value.AuthToken;
        var baseUrl = telephony.Value.PublicBaseUrl;
        if (string.IsNullOrEmpty(authToken) || baseUrl is null)
        {
            return TwilioSignatureResult.Rejected("Twilio:AuthToken and PublicBaseUrl must be configured to accept Twilio sockets.");
        }

        var signature = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(signature))
        {
            return TwilioSignatureResult.Rejected($"Missing {HeaderName} header.");
        }

        // Twilio documents the same scheme as webhooks over "the URL": the wss:// URL it dialled. Its docs do not spell
        // out the scheme, so the https:// form of the same URL is accepted too (still our auth token over our own URL).
        var https = PublicUrl(baseUrl, request);
        var wss = new UriBuilder(https) { Scheme = WebSocketScheme(baseUrl) }.Uri.ToString();
        var validator = new RequestValidator(authToken);
        var none = new Dictionary<string, string>();
        return validator.Validate(wss, none, signature) || validator.Validate(https, none, signature)
            ? TwilioSignatureResult.Valid(none)
            : TwilioSignatureResult.Rejected("Signature does not match.");
    }

    /// <summary>wss for an https public URL, ws for http (local runs).</summary>
    public static string WebSocketScheme(Uri baseUrl) => baseUrl.Scheme == Uri.UriSchemeHttp ? "ws" : "wss";

    public static string PublicUrl(Uri baseUrl, HttpRequest request) =>
        baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + request.PathBase + request.Path + request.QueryString;
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
