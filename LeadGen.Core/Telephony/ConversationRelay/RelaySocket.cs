using System.Buffers;
using System.Net.WebSockets;
using LeadGen.Core.WebSockets;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>One ConversationRelay WebSocket: whole text messages in and out (sends serialised), closed quietly.</summary>
public sealed class RelaySocket(WebSocket socket) : IDisposable
{
    /// <summary>Twilio's messages are small JSON objects; anything this large is not one.</summary>
    public const int MaxMessageBytes = WebSocketMessages.MaxMessageBytes;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public WebSocketState State => socket.State;

    /// <summary>True once a receive found the connection broken without a close frame.</summary>
    public bool Dropped { get; private set; }

    /// <summary>The next whole message (null once the peer closed or dropped); oversized or binary messages come back malformed.</summary>
    public async Task<RelayMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var received = await WebSocketMessages.ReceiveMessageAsync(socket, _buffer, cancellationToken, MaxMessageBytes);
        Dropped = received.Outcome == ReceiveOutcome.Dropped;
        return received switch
        {
            { IsEnd: true } => null,
            { Outcome: ReceiveOutcome.TooLarge } => new RelayMalformed("message too large"),
            { Type: WebSocketMessageType.Binary } => new RelayMalformed("binary frame"),
            _ => RelayProtocol.Parse(_buffer.WrittenSpan),
        };
    }

    public async ValueTask SendAsync(RelayMessage message, CancellationToken cancellationToken)
    {
        var bytes = RelayProtocol.Write(message);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await WebSocketMessages.SendIfOpenAsync(socket, bytes, WebSocketMessageType.Text, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask CloseQuietlyAsync(WebSocketCloseStatus status, string description) =>
        WebSocketMessages.CloseQuietlyAsync(socket, status, description, TimeSpan.FromSeconds(5));

    public void Dispose() => _sendLock.Dispose();
}
