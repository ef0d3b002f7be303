using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>
/// The Twilio Media Streams transport: the only code that knows Twilio's JSON messages, μ-law, marks and <c>clear</c>.
/// Caller frames are decoded once (voice activity and up-sampling share the samples) into reused buffers. Agent audio
/// leaves as 20 ms frames with a mark every <see cref="MarkIntervalMs"/> and at the end of each turn; marks name the
/// turn and the milliseconds played (<c>turn:ms</c>, <c>turn:ms:end</c>), so their echoes report what was heard.
/// Hang-up and transfer go through the telephony provider's REST API (Twilio: a <c>&lt;Dial&gt;</c> redirect).
/// </summary>
public sealed class MediaStreamTransport : ICallTransport, IDisposable
{
    // A mark after every engine chunk (40 ms) made marks a third of the messages to the caller; one per 100 ms of audio
    // keeps "what was heard" accurate to a tenth of a second (the turn's end always gets its own mark).
    public const int MarkIntervalMs = 100;

    private readonly WebSocket _socket;
    private readonly ArrayBufferWriter<byte> _received;
    private readonly StartEvent _start;
    private readonly ITelephonyProvider _telephony;
    private readonly CallMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _outgoing = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly TelephoneAudioCodec _codec = new();
    private byte[] _payload = new byte[TelephoneFrames.FrameBytes];
    private int _turn = -1;
    private int _turnSentMs;
    private int _turnMarkedMs;

    /// <param name="received">The buffer the <c>start</c> message was read with (reused for every later message).</param>
    public MediaStreamTransport(WebSocket socket, ArrayBufferWriter<byte> received, StartEvent start, ITelephonyProvider telephony, CallMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _received = received;
        _start = start;
        _telephony = telephony;
        _metrics = metrics;
        _logger = logger;
        _writer = new Utf8JsonWriter(_outgoing);
    }

    public bool CanTransfer => _start.CallSid is not null;

    public void UseEngineAudio(EngineAudioFormat format) => TelephoneAudioCodec.EnsureSupported(format);

    public async Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = await WebSocketMessages.ReceiveMessageAsync(_socket, _received, cancellationToken);
            if (received.IsEnd)
            {
                return;
            }

            if (received.Type == WebSocketMessageType.Binary)
            {
                _received.ResetWrittenCount(); // Twilio sends JSON text only: counted below as a malformed frame
            }

            if (MediaStreamProtocol.TryReadMediaPayload(_received.WrittenSpan, ref _payload, out var length))
            {
                var pcm = _codec.CallerToEngine(_payload.AsSpan(0, length), out var voiced);
                await events.OnCallerAudioAsync(pcm, voiced, cancellationToken);
                continue;
            }

            switch (MediaStreamProtocol.Parse(_received.WrittenSpan))
            {
                case MarkEvent mark when ParseMark(mark.Name) is { } played:
                    await events.OnAgentAudioPlayedAsync(played.Turn, played.Ms, played.End, cancellationToken);
                    break;
                case DtmfEvent dtmf:
                    await events.OnKeyPressedAsync(dtmf.Digit, cancellationToken);
                    break;
                case StopEvent:
                    return;
                case MalformedEvent malformed:
                    _metrics.MalformedFrames.Add(1);
                    _logger.LogDebug("Skipped a malformed media-stream frame: {Reason}", malformed.Reason);
                    break;
                default:
                    _metrics.MalformedFrames.Add(1); // connected/start again, a mark we did not send, …: out of order
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
                (_turn, _turnSentMs, _turnMarkedMs) = (turn, 0, 0);
            }

            foreach (var frame in _codec.EngineToCaller(pcm.Span))
            {
                await SendMediaLockedAsync(frame, cancellationToken);
            }

            if (_turnSentMs - _turnMarkedMs >= MarkIntervalMs)
            {
                _turnMarkedMs = _turnSentMs;
                await SendMarkLockedAsync(string.Create(CultureInfo.InvariantCulture, $"{turn}:{_turnSentMs}"), cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (turn != _turn)
            {
                (_turn, _turnSentMs, _turnMarkedMs) = (turn, 0, 0);
            }

            if (_codec.FlushToCaller() is { } last)
            {
                await SendMediaLockedAsync(last, cancellationToken);
            }

            await SendMarkLockedAsync(string.Create(CultureInfo.InvariantCulture, $"{turn}:{_turnSentMs}:end"), cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _codec.DiscardPendingToCaller();
            await SendLockedAsync(writer => MediaStreamProtocol.WriteOutboundClear(writer, _start.StreamSid), cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken)
    {
        if (_start.CallSid is not { } callSid)
        {
            return; // closing the stream ends <Connect>, and with it the call
        }

        switch (intent)
        {
            case TransferToHuman transfer:
                await _telephony.RedirectAsync(callSid, TwiML.Dial(transfer.Number), cancellationToken);
                break;
            case HangUp:
                await _telephony.HangUpAsync(callSid, cancellationToken);
                break;
            case SayAndHangUp say:
                await _telephony.RedirectAsync(callSid, TwiML.SayAndHangUp(say.Text, say.Language), cancellationToken);
                break;
        }
    }

    public async ValueTask CloseAsync(CallCloseReason reason) => await (reason == CallCloseReason.EngineUnavailable
        ? WebSocketMessages.CloseQuietlyAsync(_socket, WebSocketCloseStatus.InternalServerError, "voice model unavailable")
        : WebSocketMessages.CloseQuietlyAsync(_socket, WebSocketCloseStatus.NormalClosure, "call ended"));

    public void Dispose()
    {
        _sendLock.Dispose();
        _writer.Dispose();
    }

    /// <summary>Our own mark names: <c>turn:ms</c> or <c>turn:ms:end</c>.</summary>
    internal static (int Turn, int Ms, bool End)? ParseMark(string name)
    {
        var parts = name.Split(':');
        return parts.Length is 2 or 3
            && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var turn)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var ms)
            && (parts.Length == 2 || parts[2] == "end")
            ? (turn, ms, parts.Length == 3)
            : null;
    }

    private ValueTask SendMediaLockedAsync(byte[] frame, CancellationToken cancellationToken)
    {
        _turnSentMs += TelephoneFrames.FrameMilliseconds;
        return SendLockedAsync(writer => MediaStreamProtocol.WriteOutboundMedia(writer, _start.StreamSid, frame), cancellationToken);
    }

    private ValueTask SendMarkLockedAsync(string name, CancellationToken cancellationToken) =>
        SendLockedAsync(writer => MediaStreamProtocol.WriteOutboundMark(writer, _start.StreamSid, name), cancellationToken);

    private ValueTask SendLockedAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        _outgoing.ResetWrittenCount();
        _writer.Reset();
        write(_writer);
        return WebSocketMessages.SendIfOpenAsync(_socket, _outgoing.WrittenMemory, WebSocketMessageType.Text, cancellationToken);
    }
}
