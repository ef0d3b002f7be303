using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.WebSockets;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// One Live API conversation. A single reader loop owns the socket's receive side; sends are serialised by a lock.
/// On <c>goAway</c> (the server is about to close, e.g. the ~10-minute connection limit) or an unexpected close, the
/// session reconnects with the latest <c>sessionResumptionUpdate</c> handle and the call continues with the
/// conversation's context. No caller audio is lost on the way: while the new connection is set up, caller audio is held
/// (<see cref="CallerAudioReplay"/>) instead of blocking the transport, and with transparent resumption (Vertex) the
/// messages the old connection had not consumed (<c>lastConsumedClientMessageIndex</c>) are sent again first.
/// Context-window compression (set up in <see cref="GeminiLiveWire.Setup"/>) keeps an hour-long call under the limit.
/// Events reach the reader through a bounded channel: when the call cannot keep up, the reader stops reading the socket
/// and TCP pushes back on the model, instead of buffering without bound. Caller audio is written into one reused
/// buffer under the send lock (no allocation per 20 ms frame).
/// </summary>
internal sealed class GeminiLiveSession : IRealtimeVoiceSession
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    /// <summary>Reconnects in a row (each connection shorter than <see cref="StableConnection"/>) before the call gives up.</summary>
    private const int MaxReconnects = 5;
    private static readonly TimeSpan StableConnection = TimeSpan.FromMinutes(1);

    /// <summary>About 5 s of model audio in 40 ms chunks: plenty of slack for a burst, a bound for a stall.</summary>
    private const int EventCapacity = 128;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<CancellationToken, Task<ClientWebSocket>> _connect;
    private readonly string _model;
    private readonly RealtimeSessionRequest _request;
    private readonly GeminiLiveOptions _live;
    private readonly LiveUsageRecorder _usage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallerAudioReplay _replay;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<RealtimeEvent> _events = Channel.CreateBounded<RealtimeEvent>(new BoundedChannelOptions(EventCapacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
        // The call's engine loop, waiting for the next event, continues on the reader's thread instead of being queued
        // to the thread pool: one hop less per model message (25 a second per call), so a reply's audio reaches the
        // transport without waiting behind every other call's queued work. Both sides only await, never block.
        AllowSynchronousContinuations = true,
    });

    private readonly ArrayBufferWriter<byte> _audioBuffer = new(4096);
    private readonly Utf8JsonWriter _audioWriter;
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket _socket;
    private string? _resumptionHandle;
    private Task? _reader;
    private int _reconnects;
    private int _recentReconnects;
    private long _connectedAt;
    private volatile bool _closing;

    private GeminiLiveSession(
        ClientWebSocket socket, Func<CancellationToken, Task<ClientWebSocket>> connect, string model, RealtimeSessionRequest request,
        GeminiLiveOptions live, LiveUsageRecorder usage, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _connect = connect;
        _model = model;
        _request = request;
        _live = live;
        _usage = usage;
        _time = time;
        _logger = logger;
        _replay = new CallerAudioReplay(live.ReplayBufferMessages);
        _connectedAt = time.GetTimestamp();
        _audioWriter = new Utf8JsonWriter(_audioBuffer);
    }

    public EngineAudioFormat Audio => GeminiLiveWire.AudioFormat;

    public static async Task<GeminiLiveSession> StartAsync(
        Func<CancellationToken, Task<ClientWebSocket>> connect,
        string model,
        RealtimeSessionRequest request,
        GeminiLiveOptions live,
        LiveUsageRecorder usage,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var socket = await OpenAsync(connect, model, request, resumptionHandle: null, live, cancellationToken);
        var session = new GeminiLiveSession(socket, connect, model, request, live, usage, time, logger);
        session._reader = Task.Run(session.ReadLoopAsync, CancellationToken.None);
        return session;
    }

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        if (_replay.TryHold(pcm.Span))
        {
            return; // reconnecting: held, sent on the new connection (the transport keeps reading meanwhile)
        }

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
        _replay.Dispose();
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
            _replay.Sent(message.Span);
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
                // A message over MaxMessageBytes comes back empty, and parsing skips it.
                var received = await WebSocketMessages.ReceiveMessageAsync(_socket, buffer, _stop.Token, MaxMessageBytes);
                if (received.IsEnd || ParseOrNull(buffer.WrittenSpan) is not { } message)
                {
                    if (received.IsEnd && !await ReconnectAsync("connection closed"))
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

                if (message.LastConsumedClientMessageIndex is { } consumed)
                {
                    _replay.Consumed(consumed);
                }

                if (message.Usage is { } usage)
                {
                    _usage.Record(usage);
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
        if (_time.GetElapsedTime(_connectedAt) >= StableConnection)
        {
            _recentReconnects = 0; // an hour-long call rotates connections every ~10 minutes: only a storm of failures ends it
        }

        if (_closing || _stop.IsCancellationRequested || _recentReconnects >= MaxReconnects)
        {
            return false;
        }

        _replay.StartHolding();
        await _sendLock.WaitAsync(_stop.Token);
        try
        {
            _reconnects++;
            _recentReconnects++;
            _logger.LogInformation("Gemini Live reconnecting after {Reason} (attempt {Attempt}, resumable: {Resumable})", why, _reconnects, _resumptionHandle is not null);
            var replacement = await OpenAsync(_connect, _model, _request, _resumptionHandle, _live, _stop.Token);
            var old = _socket;
            _socket = replacement;
            _connectedAt = _time.GetTimestamp();
            _ = CloseQuietlyAsync(old).AsTask().ContinueWith(_ => old.Dispose(), TaskScheduler.Default);

            // What the old connection never consumed, then what arrived while connecting, in order, before anything new.
            foreach (var pending in _replay.TakeForNewConnection())
            {
                await SendLockedAsync(pending, _stop.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or TimeoutException or InvalidOperationException or HttpRequestException)
        {
            _logger.LogWarning(exception, "Gemini Live could not reconnect");
            return false;
        }
        finally
        {
            _replay.StopHolding();
            _sendLock.Release();
        }

        _events.Writer.TryWrite(new SessionResumed(_reconnects));
        return true;
    }

    private static async Task<ClientWebSocket> OpenAsync(
        Func<CancellationToken, Task<ClientWebSocket>> connect, string model, RealtimeSessionRequest request, string? resumptionHandle, GeminiLiveOptions live, CancellationToken cancellationToken)
    {
        var socket = await connect(cancellationToken);
        try
        {
            await socket.SendAsync(GeminiLiveWire.Setup(model, request, resumptionHandle, live), WebSocketMessageType.Text, true, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var buffer = new ArrayBufferWriter<byte>(1024);
            while (true)
            {
                if ((await WebSocketMessages.ReceiveMessageAsync(socket, buffer, timeout.Token, MaxMessageBytes)).IsEnd)
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
