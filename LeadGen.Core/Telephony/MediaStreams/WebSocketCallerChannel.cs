using System.Net.WebSockets;
using LeadGen.Core.Calls.Live;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>Sends media/mark/clear to Twilio over the stream's socket (one send at a time, as WebSocket requires).</summary>
internal sealed class WebSocketCallerChannel(WebSocket socket, string streamSid) : ICallerChannel, IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _chunk;

    public ValueTask SendMediaAsync(byte[] mulawFrame, CancellationToken cancellationToken) =>
        SendAsync(new MediaEvent(streamSid, Interlocked.Increment(ref _chunk), 0, mulawFrame), cancellationToken);

    public ValueTask SendMarkAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(new MarkEvent(streamSid, name), cancellationToken);

    public ValueTask SendClearAsync(CancellationToken cancellationToken) =>
        SendAsync(new ClearEvent(streamSid), cancellationToken);

    public void Dispose() => _sendLock.Dispose();

    private async ValueTask SendAsync(MediaStreamEvent message, CancellationToken cancellationToken)
    {
        var bytes = MediaStreamProtocol.Write(message);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (WebSocketException)
        {
            // The caller hung up mid-send; the receive loop sees the close and ends the call.
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
