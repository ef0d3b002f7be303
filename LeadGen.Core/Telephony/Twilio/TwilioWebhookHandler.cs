using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Telephony.ConversationRelay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// What Twilio's voice, status and AMD webhooks do once their signature checked out (the VoiceApi checks it and maps
/// the routes): each takes the signed form's fields and answers a <see cref="WebhookOutcome"/>.
/// </summary>
public sealed class TwilioWebhookHandler(
    IRealtimeVoiceClient voice,
    CallLifecycle lifecycle,
    ITelephonyProvider telephony,
    StreamTokens tokens,
    IOptions<TelephonyOptions> options,
    ConversationRelayVoice relay,
    ILogger<TwilioWebhookHandler> logger)
{
    public const string NotConfiguredMessage =
        "Sorry, our voice assistant is not available right now because no voice model is configured. Please try again later. Goodbye.";

    /// <summary>The call's TwiML: the media stream, ConversationRelay, or a spoken apology when no voice model is set.</summary>
    public async Task<WebhookOutcome> VoiceAsync(Guid? callId, TwilioSignatureResult form, CancellationToken cancellationToken)
    {
        // The call is recorded (an inbound one created) whatever the answer, so every call leaves a trace.
        var call = await lifecycle.ResolveAsync(callId, telephony.Name, form.Field("CallSid"), form.Field("From"), form.Field("To"), form.Field("Direction"), cancellationToken);
        if (call is null)
        {
            logger.LogWarning("Voice webhook for an unknown call (callId {CallId}); hanging up", callId);
            return WebhookOutcome.Reply(voice.IsConfigured ? TwiML.HangUp() : TwiML.SayAndHangUp(NotConfiguredMessage));
        }

        // conversation_relay campaigns talk through Twilio's STT/TTS and the text agent: no voice model needed.
        if (await relay.TwiMLAsync(call.Id, cancellationToken) is { } relayTwiML)
        {
            return WebhookOutcome.Reply(relayTwiML);
        }

        if (!voice.IsConfigured)
        {
            await lifecycle.RecordNotConnectedAsync(call.Id, "Not connected to the agent: no voice model is configured (Gemini).", cancellationToken);
            return WebhookOutcome.Reply(TwiML.SayAndHangUp(NotConfiguredMessage));
        }

        var streamUrl = new UriBuilder(TwilioWebhooks.Url(options.Value, TwilioWebhooks.MediaPath)) { Scheme = TwilioSignature.WebSocketScheme(options.Value.PublicBaseUrl!) }.Uri;
        return WebhookOutcome.Reply(TwiML.ConnectStream(streamUrl, tokens.Issue(call.Id)));
    }

    /// <summary>A call status event (CallSid, CallStatus, CallDuration): the call's status moves forward.</summary>
    public async Task<WebhookOutcome> StatusAsync(Guid? callId, TwilioSignatureResult form, CancellationToken cancellationToken)
    {
        if (TwilioCallStatus.ToCallStatus(form.Field("CallStatus")) is not { } status)
        {
            return WebhookOutcome.Fail(WebhookProblemKind.BadRequest, "Unknown CallStatus", $"CallStatus '{form.Field("CallStatus")}' is not a Twilio call status.");
        }

        var call = await lifecycle.ResolveAsync(callId, telephony.Name, form.Field("CallSid"), form.Field("From"), form.Field("To"), form.Field("Direction"), cancellationToken);
        if (call is null)
        {
            return WebhookOutcome.Fail(WebhookProblemKind.NotFound, "Unknown call");
        }

        var duration = int.TryParse(form.Field("CallDuration"), out var seconds) && seconds >= 0 ? seconds : (int?)null;
        await lifecycle.ApplyStatusAsync(call.Id, status, duration, cancellationToken);
        return WebhookOutcome.Done;
    }

    /// <summary>
    /// Twilio's asynchronous AMD callback (CallSid, AnsweredBy, MachineDetectionDuration): records who answered and acts
    /// on the live call per the campaign (<see cref="AnsweringMachineDetection"/>): leave the voicemail message after
    /// the beep, or hang up; a person (or "unknown") keeps talking to the agent.
    /// </summary>
    public async Task<WebhookOutcome> AmdAsync(Guid? callId, TwilioSignatureResult form, CancellationToken cancellationToken)
    {
        var answeredBy = form.Field("AnsweredBy");
        if (answeredBy is null || !AnsweringMachineDetection.All.Contains(answeredBy))
        {
            return WebhookOutcome.Fail(
                WebhookProblemKind.BadRequest,
                "Unknown AnsweredBy",
                $"AnsweredBy '{answeredBy}' is not one of {string.Join(", ", AnsweringMachineDetection.All)}.");
        }

        var call = await lifecycle.ResolveAsync(callId, telephony.Name, form.Field("CallSid"), null, null, null, cancellationToken);
        var providerCallId = call?.ProviderCallId ?? form.Field("CallSid");
        if (call is null || providerCallId is null)
        {
            return WebhookOutcome.Fail(WebhookProblemKind.NotFound, "Unknown call", "No call matches this callId/CallSid; nothing was recorded.");
        }

        var decision = (await lifecycle.ApplyAnsweringMachineResultAsync(call, answeredBy, cancellationToken))!;
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
            return WebhookOutcome.Fail(WebhookProblemKind.ProviderError, "Telephony provider error", $"The result was recorded but the call could not be changed ({decision.Action}).");
        }

        return WebhookOutcome.Done;
    }
}
