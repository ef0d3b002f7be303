using LeadGen.Core.Telephony.Twilio;

namespace LeadGen.VoiceApi.Apis;

/// <summary>The HTTP side of Twilio's requests: the signature header, path and form handed to Core as plain values.</summary>
internal static class TwilioRequests
{
    /// <summary>Checks a webhook's <c>X-Twilio-Signature</c>; reads (and buffers) the form once the header is there.</summary>
    public static async Task<TwilioSignatureResult> ValidateAsync(this TwilioSignature signature, HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers[TwilioSignature.HeaderName].ToString();
        if (signature.Precheck(header) is { } refused)
        {
            return refused;
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

        return signature.Validate(PathAndQuery(request), parameters, header);
    }

    /// <summary>Checks the signature on a WebSocket upgrade (ConversationRelay).</summary>
    public static TwilioSignatureResult ValidateWebSocket(this TwilioSignature signature, HttpRequest request) =>
        signature.ValidateWebSocket(PathAndQuery(request), request.Headers[TwilioSignature.HeaderName].ToString());

    /// <summary>A Core outcome as the HTTP answer: TwiML as application/xml, 204, or a ProblemDetails.</summary>
    public static IResult ToResult(this WebhookOutcome outcome) => outcome switch
    {
        { Problem: { } problem } => Results.Problem(statusCode: StatusCode(problem.Kind), title: problem.Title, detail: problem.Detail),
        { TwiML: { } twiml } => Xml(twiml),
        _ => Results.NoContent(),
    };

    public static IResult Xml(string twiml) => Results.Content(twiml, "application/xml");

    /// <summary>A refused signature: 400 for an unreadable form, otherwise 403 (logged without the request's content).</summary>
    public static IResult Refused(TwilioSignatureResult check, ILogger logger, string what)
    {
        logger.LogWarning("Rejected {What}: {Problem}", what, check.Problem);
        return check.IsUnreadable
            ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable webhook", detail: check.Problem)
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid Twilio signature", detail: check.Problem);
    }

    /// <summary>The escaped path base, path and query as received: Twilio signed them under our public base URL.</summary>
    private static string PathAndQuery(HttpRequest request) => $"{request.PathBase}{request.Path}{request.QueryString}";

    private static int StatusCode(WebhookProblemKind kind) => kind switch
    {
        WebhookProblemKind.BadRequest => StatusCodes.Status400BadRequest,
        WebhookProblemKind.NotFound => StatusCodes.Status404NotFound,
        WebhookProblemKind.ProviderError => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };
}
