using System.Diagnostics;
using System.Net.WebSockets;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Serves one ConversationRelay WebSocket (after the endpoint checked the upgrade's Twilio signature). Nothing is
/// trusted before <c>setup</c> carries a valid, unused connection token for a conversation_relay call: otherwise the
/// socket closes with 1008 and nothing is written. Then the call is marked in progress and listed live, and
/// <see cref="RelayConversation"/> talks with the caller until either side ends it.
/// </summary>
public sealed class ConversationRelayHandler(
    StreamTokens tokens,
    StreamTokenGuard replay,
    RelayCallContexts contexts,
    QualificationAgent agent,
    ILeadQualificationStore store,
    ICallEventSink sink,
    CallStore calls,
    LiveCallRegistry liveCalls,
    CallMetrics metrics,
    IOptions<ConversationRelayOptions> options,
    TimeProvider time,
    ILogger<ConversationRelayHandler> logger)
{
    public static readonly ActivitySource Source = new("LeadGen.Calls.ConversationRelay");

    private const int MaxMessagesBeforeSetup = 4;
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseAfterEnd = TimeSpan.FromSeconds(5);

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
        await ConverseAsync(socket, setup, context, cancellationToken);
    }

    private async Task ConverseAsync(RelaySocket socket, RelaySetup setup, RelayCallContext context, CancellationToken cancellationToken)
    {
        var callId = context.Call.Id;
        await using var conversation = new RelayConversation(context, socket.SendAsync, agent, store, sink, calls, metrics, options.Value, time, logger);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var talking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        metrics.ActiveCalls.Add(1);
        Task? turns = null;
        try
        {
            await sink.StreamStartedAsync(callId, setup.CallSid, time.GetUtcNow(), cancellationToken);
            await liveCalls.StartedAsync(callId, setup.CallSid, setup.SessionId, cancellationToken);
            turns = RunTurnsAsync(conversation, reading, talking.Token);
            while (await socket.ReceiveAsync(reading.Token) is { } message)
            {
                conversation.OnMessage(message);
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            // We ended the session and Twilio did not close within the grace period, or the host is stopping.
        }
        catch (WebSocketException exception)
        {
            logger.LogInformation("Call {CallId}: ConversationRelay socket dropped: {Message}", callId, exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Logged with the call id; the finally block still stores what was said and releases the call.
            logger.LogError(exception, "Call {CallId}: ConversationRelay session failed", callId);
        }
        finally
        {
            await talking.CancelAsync(); // the caller hung up (socket closed): no more turns
            if (turns is not null)
            {
                await turns.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await socket.CloseQuietlyAsync(WebSocketCloseStatus.NormalClosure, "call ended");
            metrics.ActiveCalls.Add(-1);
            await sink.StreamEndedAsync(callId, time.GetUtcNow(), CancellationToken.None);
            await liveCalls.EndedAsync(callId);
            logger.LogInformation("Call {CallId}: ConversationRelay session ended ({Reason})", callId, conversation.EndReason ?? "caller hung up");
        }
    }

    /// <summary>Runs the turns; once the agent has ended the session, Twilio gets a few seconds to close the socket.</summary>
    private async Task RunTurnsAsync(RelayConversation conversation, CancellationTokenSource reading, CancellationToken cancellationToken)
    {
        try
        {
            await conversation.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            logger.LogInformation("Call {CallId}: ConversationRelay socket went away mid-turn", conversation.CallId);
        }

        reading.CancelAfter(CloseAfterEnd);
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
        catch (WebSocketException)
        {
            // Dropped before setup.
        }

        return null;
    }
}
