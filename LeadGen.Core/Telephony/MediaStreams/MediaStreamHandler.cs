using System.Buffers;
using System.Net.WebSockets;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>
/// Serves one Media Streams WebSocket. Nothing is trusted before the <c>start</c> message's token verifies: a missing,
/// forged or expired token closes the socket with 1008 (policy violation) and nothing is written anywhere. After that,
/// frames are relayed to the call's <see cref="CallSession"/>; malformed or out-of-order frames are counted and skipped.
/// </summary>
public sealed class MediaStreamHandler(
    StreamTokens tokens,
    IRealtimeVoiceClient voice,
    ICallContextProvider contexts,
    ICallEventSink sink,
    ILiveCallToolExecutor tools,
    ITelephonyProvider telephony,
    LiveCallRegistry liveCalls,
    CallMetrics metrics,
    TimeProvider time,
    ILogger<MediaStreamHandler> logger)
{
    private const int MaxMessagesBeforeStart = 4;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    public async Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var start = await WaitForStartAsync(socket, buffer, cancellationToken);
        if (start is null)
        {
            await WebSocketMessages.CloseQuietlyAsync(socket, WebSocketCloseStatus.PolicyViolation, "expected a start message");
            return;
        }

        var token = tokens.Verify(start.CustomParameters.GetValueOrDefault(TwiML.StreamTokenParameter));
        if (!token.IsValid)
        {
            logger.LogWarning("Media stream {StreamSid} rejected: {Problem}", start.StreamSid, token.Problem);
            await WebSocketMessages.CloseQuietlyAsync(socket, WebSocketCloseStatus.PolicyViolation, "invalid stream token");
            return;
        }

        await BridgeAsync(socket, buffer, start, token.CallId, cancellationToken);
    }

    private async Task BridgeAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, StartEvent start, Guid callId, CancellationToken cancellationToken)
    {
        var context = await contexts.LoadAsync(callId, cancellationToken);
        IRealtimeVoiceSession model;
        try
        {
            model = await voice.ConnectAsync(new RealtimeSessionRequest(context.SystemInstruction, context.Tools), cancellationToken);
        }
        catch (Exception exception) when (exception is WebSocketException or InvalidOperationException or HttpRequestException or TimeoutException)
        {
            logger.LogError(exception, "Call {CallId}: could not open the voice model session", callId);
            await WebSocketMessages.CloseQuietlyAsync(socket, WebSocketCloseStatus.InternalServerError, "voice model unavailable");
            return;
        }

        using var channel = new WebSocketCallerChannel(socket, start.StreamSid);
        var session = new CallSession(context, start.CallSid, channel, model, sink, tools, telephony, metrics, time, logger);
        using var callEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Ended);
        metrics.ActiveCalls.Add(1);
        Task? modelLoop = null;
        try
        {
            await sink.StreamStartedAsync(callId, start.CallSid, time.GetUtcNow(), cancellationToken);
            await liveCalls.StartedAsync(callId, start.CallSid, start.StreamSid, cancellationToken);
            modelLoop = session.RunModelAsync(callEnd.Token);
            await session.StartAsync(callEnd.Token);
            await RelayCallerAsync(socket, buffer, session, callEnd.Token);
        }
        catch (OperationCanceledException) when (callEnd.IsCancellationRequested)
        {
            // Ended by the session (hang-up/transfer) or by the host shutting down.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Logged with the call id; the finally block still stores what was said and releases the call.
            logger.LogError(exception, "Call {CallId}: media bridge failed", callId);
        }
        finally
        {
            await callEnd.CancelAsync();
            if (modelLoop is not null)
            {
                await modelLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await session.DisposeAsync();
            await WebSocketMessages.CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "call ended");
            metrics.ActiveCalls.Add(-1);
            await sink.StreamEndedAsync(callId, time.GetUtcNow(), CancellationToken.None);
            await liveCalls.EndedAsync(callId);
            logger.LogInformation("Call {CallId}: media stream ended", callId);
        }
    }

    private async Task RelayCallerAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CallSession session, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var bytes = await WebSocketMessages.ReceiveAsync(socket, buffer, cancellationToken);
            if (bytes is null)
            {
                return;
            }

            switch (MediaStreamProtocol.Parse(bytes))
            {
                case MediaEvent media:
                    await session.OnCallerAudioAsync(media.Payload, cancellationToken);
                    break;
                case MarkEvent mark:
                    await session.OnMarkAsync(mark.Name, cancellationToken);
                    break;
                case DtmfEvent dtmf:
                    await session.OnDtmfAsync(dtmf.Digit, cancellationToken);
                    break;
                case StopEvent:
                    return;
                case MalformedEvent malformed:
                    metrics.MalformedFrames.Add(1);
                    logger.LogDebug("Skipped a malformed media-stream frame: {Reason}", malformed.Reason);
                    break;
                default:
                    metrics.MalformedFrames.Add(1); // connected/start again, or a server-side event: out of order
                    break;
            }
        }
    }

    private async Task<StartEvent?> WaitForStartAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            for (var i = 0; i < MaxMessagesBeforeStart; i++)
            {
                var bytes = await WebSocketMessages.ReceiveAsync(socket, buffer, timeout.Token);
                switch (bytes is null ? null : MediaStreamProtocol.Parse(bytes))
                {
                    case null:
                        return null;
                    case StartEvent start:
                        return start;
                    case ConnectedEvent:
                        continue;
                    default:
                        return null; // media before start, garbage, …: not a Twilio stream
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Media stream sent no start message within {Timeout}", StartTimeout);
        }

        return null;
    }
}
