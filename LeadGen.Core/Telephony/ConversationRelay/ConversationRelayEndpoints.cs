using System.Diagnostics;
using System.Text.Json;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// ConversationRelay's endpoints: <c>GET relay</c> (the WebSocket; the upgrade's <c>X-Twilio-Signature</c> is checked
/// before it is accepted) and <c>POST relay-action</c> (the &lt;Connect action&gt; Twilio calls when the session ends:
/// a human handoff dials the transfer number, anything else hangs up). The voice webhook asks
/// <see cref="ConversationRelayVoice"/> for the TwiML of conversation_relay campaigns.
/// </summary>
public static class ConversationRelayEndpoints
{
    public const string RelayPath = TwilioWebhooks.BasePath + "/relay";
    public const string ActionPath = TwilioWebhooks.BasePath + "/relay-action";
    public const string HandoffReasonCode = "reasonCode";
    public const string HumanHandoff = "live-agent-handoff";

    public static IEndpointRouteBuilder MapLeadGenConversationRelay(this IEndpointRouteBuilder app)
    {
        app.Map(RelayPath, RelayAsync).WithTags("Telephony");
        app.MapPost(ActionPath, ActionAsync).WithTags("Telephony").DisableAntiforgery();
        return app;
    }

    private static async Task RelayAsync(HttpContext http, TwilioSignature signature, ConversationRelayHandler handler, ILoggerFactory loggers)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required", detail: "The ConversationRelay endpoint only accepts WebSocket connections.").ExecuteAsync(http);
            return;
        }

        var check = signature.ValidateWebSocket(http.Request);
        if (!check.IsValid)
        {
            loggers.CreateLogger(typeof(ConversationRelayEndpoints)).LogWarning("Rejected a ConversationRelay socket: {Problem}", check.Problem);
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid Twilio signature", detail: check.Problem).ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await handler.RunAsync(socket, http.RequestAborted);
    }

    /// <summary>Twilio's request when the session ended (CallSid, SessionId, SessionStatus, HandoffData, ErrorCode…).</summary>
    private static async Task<IResult> ActionAsync(
        HttpContext http, Guid? callId, TwilioSignature signature, RelayCallContexts contexts, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ConversationRelayEndpoints));
        var check = await signature.ValidateAsync(http.Request, cancellationToken);
        if (!check.IsValid)
        {
            logger.LogWarning("Rejected a ConversationRelay action: {Problem}", check.Problem);
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid Twilio signature", detail: check.Problem);
        }

        if (check.Field("ErrorCode") is { } error)
        {
            logger.LogWarning("Call {CallId}: ConversationRelay session ended with error {ErrorCode}: {Message}", callId, error, check.Field("ErrorMessage"));
        }

        var reason = ReasonCode(check.Field("HandoffData"));
        var context = reason == HumanHandoff && callId is { } id ? await contexts.LoadAsync(id, cancellationToken) : null;
        if (context?.TransferNumber is { } number)
        {
            logger.LogInformation("Call {CallId}: ConversationRelay handed the call to a human", callId);
            return Results.Content(TwiML.Dial(number), "application/xml");
        }

        return Results.Content(TwiML.HangUp(), "application/xml");
    }

    private static string? ReasonCode(string? handoffData)
    {
        if (string.IsNullOrEmpty(handoffData))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(handoffData);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(HandoffReasonCode, out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The voice webhook's answer for conversation_relay campaigns.</summary>
public sealed class ConversationRelayVoice(RelayCallContexts contexts, StreamTokens tokens, IOptions<TelephonyOptions> telephony, IOptions<ConversationRelayOptions> options)
{
    /// <summary>The &lt;Connect&gt;&lt;ConversationRelay&gt; TwiML for this call, or null when its campaign uses native audio.</summary>
    public async Task<string?> TwiMLAsync(Guid callId, CancellationToken cancellationToken)
    {
        var context = await contexts.LoadAsync(callId, cancellationToken);
        if (context is null)
        {
            return null;
        }

        var baseUrl = telephony.Value.PublicBaseUrl ?? throw new InvalidOperationException("PublicBaseUrl must be configured for telephony.");
        var socketUrl = new UriBuilder(TwilioWebhooks.Url(telephony.Value, ConversationRelayEndpoints.RelayPath)) { Scheme = TwilioSignature.WebSocketScheme(baseUrl) }.Uri;
        var actionUrl = TwilioWebhooks.Url(telephony.Value, ConversationRelayEndpoints.ActionPath, callId);
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        return ConversationRelayTwiML.Connect(socketUrl, actionUrl, context.Greeting, options.Value, tokens.Issue(callId), traceParent);
    }
}
