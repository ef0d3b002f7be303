using System.Diagnostics;
using System.Text.Json;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// The TwiML of conversation_relay campaigns: the voice webhook's &lt;Connect&gt;&lt;ConversationRelay&gt;, and the
/// action webhook's answer when the session ends (a human handoff dials the transfer number, anything else hangs up).
/// </summary>
public sealed class ConversationRelayVoice(
    RelayCallContexts contexts, StreamTokens tokens, IOptions<TelephonyOptions> telephony, IOptions<ConversationRelayOptions> options, ILogger<ConversationRelayVoice> logger)
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
        var socketUrl = new UriBuilder(TwilioWebhooks.Url(telephony.Value, ConversationRelayWebhooks.RelayPath)) { Scheme = TwilioSignature.WebSocketScheme(baseUrl) }.Uri;
        var actionUrl = TwilioWebhooks.Url(telephony.Value, ConversationRelayWebhooks.ActionPath, callId);
        var traceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        return ConversationRelayTwiML.Connect(socketUrl, actionUrl, context.Greeting, options.Value, tokens.Issue(callId), traceParent);
    }

    /// <summary>The action webhook once its signature checked out (CallSid, SessionId, SessionStatus, HandoffData, ErrorCode…).</summary>
    public async Task<string> ActionTwiMLAsync(Guid? callId, TwilioSignatureResult form, CancellationToken cancellationToken)
    {
        if (form.Field("ErrorCode") is { } error)
        {
            logger.LogWarning("Call {CallId}: ConversationRelay session ended with error {ErrorCode}: {Message}", callId, error, form.Field("ErrorMessage"));
        }

        var reason = ReasonCode(form.Field("HandoffData"));
        var context = reason == ConversationRelayWebhooks.HumanHandoff && callId is { } id ? await contexts.LoadAsync(id, cancellationToken) : null;
        if (context?.TransferNumber is { } number)
        {
            logger.LogInformation("Call {CallId}: ConversationRelay handed the call to a human", callId);
            return TwiML.Dial(number);
        }

        return TwiML.HangUp();
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
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(ConversationRelayWebhooks.HandoffReasonCode, out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
