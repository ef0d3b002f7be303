using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace LeadGen.Core.WebSockets;

/// <summary>
/// The WebSocket helpers every transport uses (Twilio media streams, ConversationRelay, browser calls): whole messages
/// in with a size cap (a hostile peer cannot make us buffer without bound), whole messages out while the socket is
/// open, and a close that never throws. Receiving reuses the caller's buffer and a pooled state machine: nothing is
/// allocated per message.
/// </summary>
public static class WebSocketMessages
{
    public const int MaxMessageBytes = 64 * 1024;
    private const int ChunkBytes = 8 * 1024;

    /// <summary>
    /// The next whole message into <paramref name="buffer"/> (reset first; the message is its written span until the
    /// next receive). A message over <paramref name="maxBytes"/> is drained and comes back <see cref="ReceiveOutcome.TooLarge"/>
    /// with an empty buffer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ReceivedMessage> ReceiveMessageAsync(
        WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken, int maxBytes = MaxMessageBytes)
    {
        buffer.ResetWrittenCount();
        var tooLarge = false;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(ChunkBytes), cancellationToken);
            }
            catch (WebSocketException)
            {
                return new ReceivedMessage(ReceiveOutcome.Dropped, WebSocketMessageType.Close);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close);
            }

            if (!tooLarge)
            {
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > maxBytes)
                {
                    tooLarge = true;
                }
            }

            if (tooLarge)
            {
                buffer.ResetWrittenCount();
            }

            if (result.EndOfMessage)
            {
                return new ReceivedMessage(tooLarge ? ReceiveOutcome.TooLarge : ReceiveOutcome.Message, result.MessageType);
            }
        }
    }

    /// <summary>The next text message's bytes (a copy); empty for an oversized or binary message (to be skipped); null once closed.</summary>
    public static async Task<byte[]?> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken) =>
        await ReceiveMessageAsync(socket, buffer, cancellationToken) switch
        {
            { IsEnd: true } => null,
            { Outcome: ReceiveOutcome.Message, Type: WebSocketMessageType.Text } => buffer.WrittenSpan.ToArray(),
            _ => [],
        };

    /// <summary>
    /// Sends one whole message if the socket is still open (callers serialise sends); a peer that went away mid-send is
    /// not an error here: the receive loop sees the close and ends the call.
    /// </summary>
    public static async ValueTask SendIfOpenAsync(WebSocket socket, ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message, type, endOfMessage: true, cancellationToken);
            }
        }
        catch (WebSocketException)
        {
            // The peer is gone.
        }
    }

    /// <summary>Closes with a status and reason if the socket is still open; never throws (the peer may be gone).</summary>
    public static async ValueTask CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string description, TimeSpan? timeout = null)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(2));
                await socket.CloseAsync(status, description, closing.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is already gone (or a read still pending ends with the connection).
        }
    }
}

/// <summary>How a receive ended; the message itself is in the caller's buffer.</summary>
public enum ReceiveOutcome
{
    /// <summary>A whole message of <see cref="ReceivedMessage.Type"/>.</summary>
    Message,

    /// <summary>Over the size cap: drained, the buffer is empty.</summary>
    TooLarge,

    /// <summary>The peer sent a close frame.</summary>
    Closed,

    /// <summary>The connection broke without a close frame.</summary>
    Dropped,
}

public readonly record struct ReceivedMessage(ReceiveOutcome Outcome, WebSocketMessageType Type)
{
    /// <summary>Closed or dropped: nothing more will come.</summary>
    public bool IsEnd => Outcome is ReceiveOutcome.Closed or ReceiveOutcome.Dropped;
}
