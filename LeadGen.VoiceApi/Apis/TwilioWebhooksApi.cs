using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.Telephony.Twilio;

namespace LeadGen.VoiceApi.Apis;

/// <summary>
/// Twilio's webhooks and the media stream: <c>POST voice</c> (TwiML), <c>POST status</c>, <c>POST amd</c>,
/// <c>GET media</c> (WebSocket). Every webhook checks <c>X-Twilio-Signature</c> first: 403 and nothing written on
/// failure; what each does is <see cref="TwilioWebhookHandler"/>'s.
/// </summary>
internal static class TwilioWebhooksApi
{
    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(TwilioWebhooks.BasePath).WithTags("Telephony");
        group.MapPost("/voice", (HttpContext http, Guid? callId, TwilioSignature signature, TwilioWebhookHandler handler, ILogger<TwilioWebhookHandler> logger, CancellationToken cancellationToken) =>
            SignedAsync(http, signature, logger, check => handler.VoiceAsync(callId, check, cancellationToken), cancellationToken)).DisableAntiforgery();
        group.MapPost("/status", (HttpContext http, Guid? callId, TwilioSignature signature, TwilioWebhookHandler handler, ILogger<TwilioWebhookHandler> logger, CancellationToken cancellationToken) =>
            SignedAsync(http, signature, logger, check => handler.StatusAsync(callId, check, cancellationToken), cancellationToken)).DisableAntiforgery();
        group.MapPost("/amd", (HttpContext http, Guid? callId, TwilioSignature signature, TwilioWebhookHandler handler, ILogger<TwilioWebhookHandler> logger, CancellationToken cancellationToken) =>
            SignedAsync(http, signature, logger, check => handler.AmdAsync(callId, check, cancellationToken), cancellationToken)).DisableAntiforgery();
        group.Map("/media", MediaAsync);
        return app;
    }

    private static async Task<IResult> SignedAsync(
        HttpContext http, TwilioSignature signature, ILogger logger, Func<TwilioSignatureResult, Task<WebhookOutcome>> handle, CancellationToken cancellationToken)
    {
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        return check.IsValid ? (await handle(check)).ToResult() : TwilioRequests.Refused(check, logger, "a telephony webhook");
    }

    private static async Task MediaAsync(HttpContext http, MediaStreamHandler handler)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required", detail: "The media stream endpoint only accepts WebSocket connections.").ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await handler.RunAsync(socket, http.RequestAborted);
    }
}
