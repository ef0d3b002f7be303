using System.Buffers;
using System.Net.WebSockets;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>One ConversationRelay WebSocket: whole text messages in and out (sends serialised), closed quietly.</summary>
public sealed class RelaySocket(WebSocket socket) : IDisposable
{
    /// <summary>Twilio's messages are small JSON objects; anything this large is not one.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public WebSocketState State => socket.State;

    /// <summary>The next whole message (null once the peer closed); oversized or binary messages come back malformed.</summary>
    public async Task<RelayMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var result = await socket.ReceiveAsync(_buffer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > MaxMessageBytes)
            {
                await DrainAsync(result, cancellationToken);
                return new RelayMalformed("message too large");
            }

            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Binary
                    ? new RelayMalformed("binary frame")
                    : RelayProtocol.Parse(_buffer.WrittenSpan);
            }
        }
    }

    public async ValueTask SendAsync(RelayMessage message, CancellationToken cancellationToken)
    {
        var bytes = RelayProtocol.Write(message);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task CloseQuietlyAsync(WebSocketCloseStatus status, string description)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseAsync(status, description, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone already (or a read still pending ends with the connection).
        }
    }

    public void Dispose() => _sendLock.Dispose();

    private async Task DrainAsync(ValueWebSocketReceiveResult result, CancellationToken cancellationToken)
    {
        while (!result.EndOfMessage)
        {
            _buffer.ResetWrittenCount();
            result = await socket.ReceiveAsync(_buffer.GetMemory(4096), cancellationToken);
        }
    }
}
