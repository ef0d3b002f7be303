using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.MediaStreams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Twilio's webhooks and the media stream: <c>POST voice</c> (TwiML), <c>POST status</c>, <c>POST amd</c>,
/// <c>GET media</c> (WebSocket). Every webhook checks <c>X-Twilio-Signature</c> first: 403 and nothing written on failure.
/// </summary>
public static class TwilioWebhooks
{
    public const string BasePath = "/telephony/twilio";
    public const string VoicePath = BasePath + "/voice";
    public const string StatusPath = BasePath + "/status";
    public const string AmdPath = BasePath + "/amd";
    public const string MediaPath = BasePath + "/media";

    public const string NotConfiguredMessage =
        "Sorry, our voice assistant is not available right now because no voice model is configured. Please try again later. Goodbye.";

    public static Uri Url(TelephonyOptions options, string path, Guid? callId = null)
    {
        var baseUrl = options.PublicBaseUrl ?? throw new InvalidOperationException("PublicBaseUrl must be configured for telephony.");
        return new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + path + (callId is { } id ? $"?callId={id}" : string.Empty));
    }

    public static IEndpointRouteBuilder MapLeadGenTelephony(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).WithTags("Telephony");
        group.MapPost("/voice", VoiceAsync).DisableAntiforgery();
        group.MapPost("/status", StatusAsync).DisableAntiforgery();
        group.MapPost("/amd", AmdAsync).DisableAntiforgery();
        group.Map("/media", MediaAsync);
        return app;
    }

    private static async Task<IResult> VoiceAsync(
        HttpContext http, Guid? callId, TwilioSignature signature, IRealtimeVoiceClient voice, CallLifecycle lifecycle,
        ITelephonyProvider telephony, StreamTokens tokens, IOptions<TelephonyOptions> options, ConversationRelayVoice relay, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        if (!check.IsValid)
        {
            return Forbidden(check, loggers);
        }

        // The call is recorded (an inbound one created) whatever the answer, so every call leaves a trace.
        var call = await lifecycle.ResolveAsync(callId, telephony.Name, check.Field("CallSid"), check.Field("From"), check.Field("To"), check.Field("Direction"), cancellationToken);
        if (call is null)
        {
            loggers.CreateLogger(typeof(TwilioWebhooks)).LogWarning("Voice webhook for an unknown call (callId {CallId}); hanging up", callId);
            return voice.IsConfigured ? Xml(TwiML.HangUp()) : Xml(TwiML.SayAndHangUp(NotConfiguredMessage));
        }

        // conversation_relay campaigns talk through Twilio's STT/TTS and the text agent: no voice model needed.
        if (await relay.TwiMLAsync(call.Id, cancellationToken) is { } relayTwiML)
        {
            return Xml(relayTwiML);
        }

        if (!voice.IsConfigured)
        {
            await lifecycle.RecordNotConnectedAsync(call.Id, "Not connected to the agent: no voice model is configured (Gemini).", cancellationToken);
            return Xml(TwiML.SayAndHangUp(NotConfiguredMessage));
        }

        var streamUrl = new UriBuilder(Url(options.Value, MediaPath)) { Scheme = options.Value.PublicBaseUrl!.Scheme == Uri.UriSchemeHttp ? "ws" : "wss" }.Uri;
        return Xml(TwiML.ConnectStream(streamUrl, tokens.Issue(call.Id)));
    }

    private static async Task<IResult> StatusAsync(
        HttpContext http, Guid? callId, TwilioSignature signature, CallLifecycle lifecycle, ITelephonyProvider telephony, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        if (!check.IsValid)
        {
            return Forbidden(check, loggers);
        }

        if (CallLifecycle.MapStatus(check.Field("CallStatus")) is not { } status)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown CallStatus", detail: $"CallStatus '{check.Field("CallStatus")}' is not a Twilio call status.");
        }

        var call = await lifecycle.ResolveAsync(callId, telephony.Name, check.Field("CallSid"), check.Field("From"), check.Field("To"), check.Field("Direction"), cancellationToken);
        if (call is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown call");
        }

        var duration = int.TryParse(check.Field("CallDuration"), out var seconds) && seconds >= 0 ? seconds : (int?)null;
        await lifecycle.ApplyStatusAsync(call.Id, status, duration, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>
    /// Twilio's asynchronous AMD callback (CallSid, AnsweredBy, MachineDetectionDuration): records who answered and acts
    /// on the live call per the campaign (<see cref="AnsweringMachineDetection"/>): leave the voicemail message after
    /// the beep, or hang up; a person (or "unknown") keeps talking to the agent.
    /// </summary>
    private static async Task<IResult> AmdAsync(
        HttpContext http, Guid? callId, TwilioSignature signature, CallLifecycle lifecycle, ITelephonyProvider telephony, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        if (!check.IsValid)
        {
            return Forbidden(check, loggers);
        }

        var answeredBy = check.Field("AnsweredBy");
        if (answeredBy is null || !AnsweringMachineDetection.All.Contains(answeredBy))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Unknown AnsweredBy",
                detail: $"AnsweredBy '{answeredBy}' is not one of {string.Join(", ", AnsweringMachineDetection.All)}.");
        }

        var call = await lifecycle.ResolveAsync(callId, telephony.Name, check.Field("CallSid"), null, null, null, cancellationToken);
        var providerCallId = call?.ProviderCallId ?? check.Field("CallSid");
        if (call is null || providerCallId is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown call", detail: "No call matches this callId/CallSid; nothing was recorded.");
        }

        var decision = (await lifecycle.ApplyAnsweringMachineResultAsync(call, answeredBy, cancellationToken))!;
        var logger = loggers.CreateLogger(typeof(TwilioWebhooks));
        logger.LogInformation("Call {CallId}: answered by {AnsweredBy} ({Result}); {Action}", call.Id, decision.AnsweredBy, answeredBy, decision.Action);
        try
        {
            switch (decision.Action)
            {
                case AnsweringMachineAction.LeaveMessage:
                    // The redirect replaces the media stream (Twilio closes it) with the message, then the call ends.
                    await telephony.RedirectAsync(providerCallId, TwiML.SayAndHangUp(decision.Message!), cancellationToken);
                    break;
                case AnsweringMachineAction.HangUp:
                    await telephony.HangUpAsync(providerCallId, cancellationToken);
                    break;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            // The result is recorded; only acting on the call failed (e.g. it ended meanwhile).
            logger.LogWarning(exception, "Call {CallId}: could not {Action} after answering-machine detection", call.Id, decision.Action);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Telephony provider error", detail: $"The result was recorded but the call could not be changed ({decision.Action}).");
        }

        return Results.NoContent();
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

    private static IResult Forbidden(TwilioSignatureResult check, ILoggerFactory loggers)
    {
        loggers.CreateLogger(typeof(TwilioWebhooks)).LogWarning("Rejected a telephony webhook: {Problem}", check.Problem);
        return check.IsUnreadable
            ? Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable webhook", detail: check.Problem)
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid Twilio signature", detail: check.Problem);
    }

    private static IResult Xml(string twiml) => Results.Content(twiml, "application/xml");
}
