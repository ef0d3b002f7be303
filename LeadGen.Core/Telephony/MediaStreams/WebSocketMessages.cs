using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>Reads whole WebSocket messages with a size cap (a hostile peer cannot make us buffer without bound).</summary>
public static class WebSocketMessages
{
    public const int MaxMessageBytes = 64 * 1024;

    /// <returns>The message bytes; an empty array for an oversized or binary message (drained, to be skipped); null when closed.</returns>
    public static async Task<byte[]?> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken) =>
        await ReceiveMessageAsync(socket, buffer, cancellationToken) is null ? null : buffer.WrittenSpan.ToArray();

    /// <summary>The same without a copy: the message is <paramref name="buffer"/>'s written span until the next receive.</summary>
    /// <returns>The message length; 0 for an oversized or binary message (drained, to be skipped); null when closed.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<int?> ReceiveMessageAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        var oversized = false;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            if (!oversized)
            {
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes || result.MessageType == WebSocketMessageType.Binary)
                {
                    oversized = true;
                    buffer.ResetWrittenCount();
                }
            }

            if (result.EndOfMessage)
            {
                if (oversized)
                {
                    buffer.ResetWrittenCount();
                }

                return buffer.WrittenCount;
            }
        }
    }

    public static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string description)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(status, description, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is already gone.
        }
    }
}
