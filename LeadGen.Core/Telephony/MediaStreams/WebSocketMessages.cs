using System.Buffers;
using System.Net.WebSockets;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>Reads whole WebSocket messages with a size cap (a hostile peer cannot make us buffer without bound).</summary>
public static class WebSocketMessages
{
    public const int MaxMessageBytes = 64 * 1024;

    /// <returns>The message bytes; an empty array for an oversized or binary message (drained, to be skipped); null when closed.</returns>
    public static async Task<byte[]?> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
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
                return oversized ? [] : buffer.WrittenSpan.ToArray();
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
