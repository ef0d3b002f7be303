using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.Twilio;

namespace LeadGen.VoiceApi.Apis;

/// <summary>
/// ConversationRelay's endpoints: <c>GET relay</c> (the WebSocket; the upgrade's <c>X-Twilio-Signature</c> is checked
/// before it is accepted) and <c>POST relay-action</c> (the &lt;Connect action&gt; Twilio calls when the session ends;
/// its answer is <see cref="ConversationRelayVoice"/>'s).
/// </summary>
internal static class ConversationRelayApi
{
    public static IEndpointRouteBuilder MapConversationRelay(this IEndpointRouteBuilder app)
    {
        app.Map(ConversationRelayWebhooks.RelayPath, RelayAsync).WithTags("Telephony");
        app.MapPost(ConversationRelayWebhooks.ActionPath, ActionAsync).WithTags("Telephony").DisableAntiforgery();
        return app;
    }

    private static async Task RelayAsync(HttpContext http, TwilioSignature signature, ConversationRelayHandler handler, ILogger<ConversationRelayHandler> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required", detail: "The ConversationRelay endpoint only accepts WebSocket connections.").ExecuteAsync(http);
            return;
        }

        var check = signature.ValidateWebSocket(http.Request);
        if (!check.IsValid)
        {
            await TwilioRequests.Refused(check, logger, "a ConversationRelay socket").ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await handler.RunAsync(socket, http.RequestAborted);
    }

    private static async Task<IResult> ActionAsync(
        HttpContext http, Guid? callId, TwilioSignature signature, ConversationRelayVoice relay, ILogger<ConversationRelayVoice> logger, CancellationToken cancellationToken)
    {
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        return check.IsValid
            ? TwilioRequests.Xml(await relay.ActionTwiMLAsync(callId, check, cancellationToken))
            : TwilioRequests.Refused(check, logger, "a ConversationRelay action");
    }
}
