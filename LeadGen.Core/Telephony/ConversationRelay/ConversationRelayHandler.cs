using System.Diagnostics;
using System.Net.WebSockets;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Serves one ConversationRelay WebSocket (after the endpoint checked the upgrade's Twilio signature). Nothing is
/// trusted before <c>setup</c> carries a valid, unused connection token for a conversation_relay call: otherwise the
/// socket closes with 1008 and nothing is written. Then the call runs like any live call (<see cref="LiveCallRunner"/>):
/// a <see cref="RelayTransport"/> on one side, the text agent (<see cref="TextAgentEngine"/>) on the other.
/// </summary>
public sealed class ConversationRelayHandler(
    StreamTokens tokens,
    StreamTokenGuard replay,
    RelayCallContexts contexts,
    TextAgentEngine textEngine,
    AgentLiveCallTools tools,
    LiveCallRunner runner,
    CallMetrics metrics,
    IOptions<ConversationRelayOptions> options,
    TimeProvider time,
    ILogger<ConversationRelayHandler> logger)
{
    public static readonly ActivitySource Source = new("LeadGen.Calls.ConversationRelay");

    private const int MaxMessagesBeforeSetup = 4;
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(10);

    public async Task RunAsync(WebSocket webSocket, CancellationToken cancellationToken)
    {
        using var socket = new RelaySocket(webSocket);
        var setup = await WaitForSetupAsync(socket, cancellationToken);
        if (setup is null)
        {
            await socket.CloseQuietlyAsync(WebSocketCloseStatus.PolicyViolation, "expected a setup message");
            return;
        }

        var token = setup.CustomParameters.GetValueOrDefault(ConversationRelayTwiML.TokenParameter);
        var check = tokens.Verify(token);
        if (!check.IsValid || !await replay.TryClaimAsync(token!))
        {
            logger.LogWarning("ConversationRelay session {SessionId} rejected: {Problem}", setup.SessionId, check.Problem ?? "token already used");
            await socket.CloseQuietlyAsync(WebSocketCloseStatus.PolicyViolation, "invalid connection token");
            return;
        }

        var context = await contexts.LoadAsync(check.CallId, cancellationToken);
        if (context is null)
        {
            logger.LogWarning("ConversationRelay session {SessionId}: call {CallId} is not a conversation_relay call", setup.SessionId, check.CallId);
            await socket.CloseQuietlyAsync(WebSocketCloseStatus.PolicyViolation, "not a conversation relay call");
            return;
        }

        // Twilio does not send our trace context on the socket; the voice webhook put it in the TwiML's parameters, so
        // the conversation joins the trace of the webhook (and of the dialer job that placed the call).
        ActivityContext.TryParse(setup.CustomParameters.GetValueOrDefault(ConversationRelayTwiML.TraceParentParameter), null, out var parent);
        using var activity = Source.StartActivity("conversation_relay call", ActivityKind.Server, parent);
        activity?.SetTag("leadgen.call.id", context.Call.Id.ToString());
        using var transport = new RelayTransport(socket, context.Call.Id, context.Greeting.Text, options.Value, metrics, time, logger);
        var engine = textEngine.Open(context.NewSession());
        await runner.RunAsync(context.ToLiveCallContext(tools.Declarations), engine, setup.CallSid, setup.SessionId, transport, cancellationToken);
    }

    private async Task<RelaySetup?> WaitForSetupAsync(RelaySocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SetupTimeout);
        try
        {
            for (var i = 0; i < MaxMessagesBeforeSetup; i++)
            {
                switch (await socket.ReceiveAsync(timeout.Token))
                {
                    case RelaySetup setup:
                        return setup;
                    case RelayError error:
                        logger.LogWarning("ConversationRelay error before setup: {Description}", error.Description);
                        continue;
                    default:
                        return null; // closed, garbage or a prompt before setup: not a Twilio session
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("ConversationRelay socket sent no setup message within {Timeout}", SetupTimeout);
        }

        return null;
    }
}
