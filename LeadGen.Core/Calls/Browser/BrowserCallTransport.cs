using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Browser;

/// <summary>
/// A live call with a browser (the console's voice test call): the page streams the microphone as binary PCM16 frames
/// at the engine's input rate and plays binary PCM16 at its output rate, so no codec runs here. JSON text messages
/// carry control. Browser → server: <c>{"type":"played","turn":N,"ms":M[,"end":true]}</c> (what has been played
/// aloud, the page's equivalent of Twilio's marks), <c>{"type":"key","key":"9"}</c>, <c>{"type":"hangup"}</c>.
/// Server → browser: <c>{"type":"format",…}</c> first, then <c>turn</c> before a new agent turn's audio,
/// <c>turnEnd</c> (with the turn's total ms), <c>clear</c> (stop playing and drop what is queued), <c>hangup</c>.
/// A browser call cannot be transferred. Authentication is the endpoint's job, before the socket reaches this.
/// </summary>
public sealed class BrowserCallTransport(WebSocket socket, CallMetrics metrics, ILogger logger) : ICallTransport, IDisposable
{
    public const int MaxMessageBytes = 64 * 1024;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _received = new(8 * 1024);
    private EngineAudioFormat? _format;
    private int _turn = -1;
    private int _turnSentMs;

    public bool CanTransfer => false;

    public void UseEngineAudio(EngineAudioFormat format) => _format = format;

    public async Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken)
    {
        var format = _format ?? throw new InvalidOperationException("UseEngineAudio must be called before ReceiveAsync.");
        await SendJsonAsync(new { type = "format", inputSampleRate = format.InputSampleRate, outputSampleRate = format.OutputSampleRate, encoding = "pcm_s16le" }, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await WebSocketMessages.ReceiveMessageAsync(socket, _received, cancellationToken, MaxMessageBytes);
            if (received.IsEnd)
            {
                return;
            }

            if (received.Outcome == ReceiveOutcome.TooLarge)
            {
                metrics.MalformedFrames.Add(1);
                continue;
            }

            var kind = received.Type;

            var message = _received.WrittenMemory;
            if (kind == WebSocketMessageType.Binary)
            {
                var pcm = message[..(message.Length & ~1)];
                var voiced = VoiceActivity.IsVoiced(MemoryMarshal.Cast<byte, short>(pcm.Span)); // little-endian, as every browser is
                await events.OnCallerAudioAsync(pcm, voiced, cancellationToken);
                continue;
            }

            switch (Control.Parse(message.Span))
            {
                case { Type: "played", Turn: { } turn, Ms: { } ms } played:
                    await events.OnAgentAudioPlayedAsync(turn, ms, played.End, cancellationToken);
                    break;
                case { Type: "key", Key: { Length: 1 } key }:
                    await events.OnKeyPressedAsync(key, cancellationToken);
                    break;
                case { Type: "hangup" }:
                    return;
                default:
                    metrics.MalformedFrames.Add(1);
                    logger.LogDebug("Skipped a browser call message that is not a known control message");
                    break;
            }
        }
    }

    public async ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (turn != _turn)
            {
                (_turn, _turnSentMs) = (turn, 0);
                await SendLockedAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "turn", turn }), WebSocketMessageType.Text, cancellationToken);
            }

            _turnSentMs += EngineAudioFormat.Milliseconds(pcm.Length, _format!.OutputSampleRate);
            await SendLockedAsync(pcm, WebSocketMessageType.Binary, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken) =>
        SendJsonAsync(new { type = "turnEnd", turn, ms = turn == _turn ? _turnSentMs : 0 }, cancellationToken);

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken) => SendJsonAsync(new { type = "clear" }, cancellationToken);

    public ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken) => intent switch
    {
        HangUp => SendJsonAsync(new { type = "hangup" }, cancellationToken),
        SayAndHangUp say => SendJsonAsync(new { type = "hangup", notice = say.Text }, cancellationToken),
        _ => throw new InvalidOperationException($"A browser call cannot carry out {intent.GetType().Name}."),
    };

    public ValueTask CloseAsync(CallCloseReason reason) => WebSocketMessages.CloseQuietlyAsync(
        socket,
        reason == CallCloseReason.EngineUnavailable ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.NormalClosure,
        reason == CallCloseReason.EngineUnavailable ? "voice model unavailable" : "call ended");

    public void Dispose() => _sendLock.Dispose();

    private async ValueTask SendJsonAsync<T>(T message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await SendLockedAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // A browser gone mid-send is not an error: the receive loop sees the close and ends the call.
    private ValueTask SendLockedAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken) =>
        WebSocketMessages.SendIfOpenAsync(socket, message, type, cancellationToken);

    /// <summary>A control message from the page; unknown or malformed ones have no <see cref="Type"/>.</summary>
    private sealed record Control(string? Type, int? Turn, int? Ms, bool End, string? Key)
    {
        public static Control Parse(ReadOnlySpan<byte> json)
        {
            try
            {
                using var document = JsonDocument.Parse(json.ToArray());
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return new Control(null, null, null, false, null);
                }

                return new Control(
                    root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null,
                    root.TryGetProperty("turn", out var turn) && turn.TryGetInt32(out var t) ? t : null,
                    root.TryGetProperty("ms", out var ms) && ms.TryGetInt32(out var m) ? m : null,
                    root.TryGetProperty("end", out var end) && end.ValueKind == JsonValueKind.True,
                    root.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null);
            }
            catch (JsonException)
            {
                return new Control(null, null, null, false, null);
            }
        }
    }
}
