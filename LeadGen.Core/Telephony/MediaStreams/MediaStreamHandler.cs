using System.Buffers;
using System.Net.WebSockets;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>
/// Serves one Media Streams WebSocket. Nothing is trusted before the <c>start</c> message's token verifies and is claimed
/// (single use, <see cref="StreamTokenGuard"/>): a missing, forged, expired or replayed token closes the socket with 1008
/// (policy violation), no model session opens and nothing is written anywhere. After that,
/// the call runs over a <see cref="MediaStreamTransport"/> (<see cref="LiveCallRunner"/>).
/// </summary>
public sealed class MediaStreamHandler(
    StreamTokens tokens,
    StreamTokenGuard replay,
    LiveCallRunner calls,
    ITelephonyProvider telephony,
    CallMetrics metrics,
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

        var presented = start.CustomParameters.GetValueOrDefault(TwiML.StreamTokenParameter);
        var token = tokens.Verify(presented);
        if (!token.IsValid || !await replay.TryClaimAsync(presented!))
        {
            logger.LogWarning("Media stream {StreamSid} rejected: {Problem}", start.StreamSid, token.Problem ?? "token already used");
            await WebSocketMessages.CloseQuietlyAsync(socket, WebSocketCloseStatus.PolicyViolation, "invalid stream token");
            return;
        }

        using var transport = new MediaStreamTransport(socket, buffer, start, telephony, metrics, logger);
        await calls.RunAsync(token.CallId, start.CallSid, start.StreamSid, transport, cancellationToken);
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
