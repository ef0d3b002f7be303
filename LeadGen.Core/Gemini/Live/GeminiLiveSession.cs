using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// One Live API conversation. A single reader loop owns the socket's receive side; sends are serialised by a lock.
/// On <c>goAway</c> (the server is about to close, e.g. the ~10-minute connection limit) or an unexpected close, the
/// session reconnects with the latest <c>sessionResumptionUpdate</c> handle while holding the send lock, so caller
/// audio waits a moment instead of being lost and the call continues with the conversation's context.
/// Events reach the reader through a bounded channel: when the call cannot keep up, the reader stops reading the socket
/// and TCP pushes back on the model, instead of buffering without bound. Caller audio is written into one reused
/// buffer under the send lock (no allocation per 20 ms frame).
/// </summary>
internal sealed class GeminiLiveSession : IRealtimeVoiceSession
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private const int MaxReconnects = 5;

    /// <summary>About 5 s of model audio in 40 ms chunks: plenty of slack for a burst, a bound for a stall.</summary>
    private const int EventCapacity = 128;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<CancellationToken, Task<ClientWebSocket>> _connect;
    private readonly string _model;
    private readonly RealtimeSessionRequest _request;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<RealtimeEvent> _events = Channel.CreateBounded<RealtimeEvent>(new BoundedChannelOptions(EventCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ArrayBufferWriter<byte> _audioBuffer = new(4096);
    private readonly Utf8JsonWriter _audioWriter;
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket _socket;
    private string? _resumptionHandle;
    private Task? _reader;
    private int _reconnects;
    private volatile bool _closing;

    private GeminiLiveSession(ClientWebSocket socket, Func<CancellationToken, Task<ClientWebSocket>> connect, string model, RealtimeSessionRequest request, ILogger logger)
    {
        _socket = socket;
        _connect = connect;
        _model = model;
        _request = request;
        _logger = logger;
        _audioWriter = new Utf8JsonWriter(_audioBuffer);
    }

    public EngineAudioFormat Audio => GeminiLiveWire.AudioFormat;

    public static async Task<GeminiLiveSession> StartAsync(
        Func<CancellationToken, Task<ClientWebSocket>> connect, string model, RealtimeSessionRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = await OpenAsync(connect, model, request, resumptionHandle: null, cancellationToken);
        var session = new GeminiLiveSession(socket, connect, model, request, logger);
        session._reader = Task.Run(session.ReadLoopAsync, CancellationToken.None);
        return session;
    }

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _audioBuffer.ResetWrittenCount();
            _audioWriter.Reset();
            GeminiLiveWire.WriteAudio(_audioWriter, pcm.Span);
            await SendLockedAsync(_audioBuffer.WrittenMemory, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(GeminiLiveWire.Text(text), cancellationToken);

    public ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken) =>
        SendAsync(GeminiLiveWire.ToolResponse(results), cancellationToken);

    public async IAsyncEnumerable<RealtimeEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Closes gracefully: close frame first, then the reader drains until the model closes too. Cancelling the pending
    /// receive straight away would abort the socket, and a reset makes the peer discard the caller's last audio
    /// messages still in its receive buffer (the benchmark counted them as dropped).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        while (_events.Reader.TryRead(out _))
        {
            // Nobody reads events any more: free the channel so a reader blocked on a full one goes back to draining the socket.
        }

        await _sendLock.WaitAsync();
        try
        {
            await CloseQuietlyAsync(_socket);
        }
        finally
        {
            _sendLock.Release();
        }

        if (_reader is not null)
        {
            await _reader.WaitAsync(CloseTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        await _audioWriter.DisposeAsync();
    }

    private async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await SendLockedAsync(message, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask SendLockedAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (WebSocketException exception)
        {
            // The reader notices the broken socket and reconnects; this one message is lost.
            _logger.LogDebug(exception, "Gemini Live send failed");
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var reason = "closed by the model";
        var handover = new GoAwayHandover();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await ReceiveAsync(_socket, buffer, _stop.Token);
                if (received is null || ParseOrNull(buffer.WrittenSpan) is not { } message)
                {
                    if (received is null && !await ReconnectAsync("connection closed"))
                    {
                        break;
                    }

                    continue;
                }

                foreach (var item in message.Events)
                {
                    if (_closing)
                    {
                        break; // nobody reads any more: drain the socket to its close instead of waiting on the channel
                    }

                    await _events.Writer.WriteAsync(item, _stop.Token);
                }

                if (message.ResumptionHandle is not null)
                {
                    _resumptionHandle = message.ResumptionHandle;
                }

                if (handover.ShouldMoveAfter(message) && !await ReconnectAsync("goAway"))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            reason = "session disposed";
        }
        catch (Exception exception) when (exception is WebSocketException or InvalidOperationException or JsonException)
        {
            _logger.LogWarning(exception, "Gemini Live session failed");
            reason = exception.Message;
        }

        _events.Writer.TryWrite(new SessionEnded(_closing ? "session closed" : reason));
        _events.Writer.TryComplete();
    }

    private async Task<bool> ReconnectAsync(string why)
    {
        if (_closing || _stop.IsCancellationRequested || _reconnects >= MaxReconnects)
        {
            return false;
        }

        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            _reconnects++;
            _logger.LogInformation("Gemini Live reconnecting after {Reason} (attempt {Attempt}, resumable: {Resumable})", why, _reconnects, _resumptionHandle is not null);
            var replacement = await OpenAsync(_connect, _model, _request, _resumptionHandle, _stop.Token);
            var old = _socket;
            _socket = replacement;
            _ = CloseQuietlyAsync(old).AsTask().ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or InvalidOperationException or HttpRequestException)
        {
            _logger.LogWarning(exception, "Gemini Live could not reconnect");
            return false;
        }
        finally
        {
            _sendLock.Release();
        }

        _events.Writer.TryWrite(new SessionResumed(_reconnects));
        return true;
    }

    private static async Task<ClientWebSocket> OpenAsync(
        Func<CancellationToken, Task<ClientWebSocket>> connect, string model, RealtimeSessionRequest request, string? resumptionHandle, CancellationToken cancellationToken)
    {
        var socket = await connect(cancellationToken);
        try
        {
            await socket.SendAsync(GeminiLiveWire.Setup(model, request, resumptionHandle), WebSocketMessageType.Text, true, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var buffer = new ArrayBufferWriter<byte>(1024);
            while (true)
            {
                if (await ReceiveAsync(socket, buffer, timeout.Token) is null)
                {
                    throw new InvalidOperationException($"Gemini Live closed the connection during setup ({socket.CloseStatus} {socket.CloseStatusDescription}).");
                }

                if (ParseOrNull(buffer.WrittenSpan) is { SetupComplete: true })
                {
                    return socket;
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads one whole message into <paramref name="buffer"/>; null when the socket closed.</summary>
    private static async Task<int?> ReceiveAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    throw new InvalidOperationException("Gemini Live message too large.");
                }

                if (result.EndOfMessage)
                {
                    return buffer.WrittenCount;
                }
            }
        }
        catch (WebSocketException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static ServerMessage? ParseOrNull(ReadOnlySpan<byte> json)
    {
        try
        {
            return GeminiLiveWire.Parse(json);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return null; // one unreadable message must not end the call
        }
    }

    private static async ValueTask CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is best effort.
        }
    }
}
