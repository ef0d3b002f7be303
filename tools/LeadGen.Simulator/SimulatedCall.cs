using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using LeadGen.Core.Audio;
using LeadGen.Core.Telephony.MediaStreams;

namespace LeadGen.Simulator;

/// <summary>
/// Plays Twilio's part in one call: signed voice webhook → TwiML → Media Streams WebSocket (connected, start with the
/// TwiML parameters, then a 20 ms μ-law frame every 20 ms in real time: the script's speech, silence otherwise).
/// Agent audio is buffered and "played" at real-time pace; marks are echoed once the audio before them has played;
/// <c>clear</c> drops the unplayed audio (and returns its marks, as Twilio does). Finally a signed status callback.
/// </summary>
public sealed class SimulatedCall : IDisposable
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(TelephoneFrames.FrameMilliseconds);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SimulatedCallOptions _options;
    private readonly SimulatedCallResult _result;
    private readonly TwilioCallLeg _leg;
    private readonly Lock _playback = new();
    private readonly Queue<object> _buffer = new(); // byte[] frames and string mark names, in arrival order
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly MemoryStream _heard = new();
    private readonly CancellationToken _providerEnded; // the server hung up or redirected the call through the provider
    private ClientWebSocket? _socket;
    private volatile bool _hungUp;
    private string _streamSid = SimulatedCallLegOptions.NewSid("MZ");
    private long _lastAgentMediaTicks;
    private long _utteranceEndedTicks;
    private bool _awaitingReply;
    private int _agentFramesPlayed;
    private int _framesBuffered; // agent frames in _buffer (checked every tick while waiting: no scan of the queue)

    private SimulatedCall(SimulatedCallOptions options, HttpClient http)
    {
        _options = options;
        _leg = new TwilioCallLeg(options, http);
        _result = new SimulatedCallResult { CallSid = options.CallSid };
        _providerEnded = options.Control?.StreamEnded ?? CancellationToken.None;
    }

    public static async Task<SimulatedCallResult> RunAsync(SimulatedCallOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        using var call = new SimulatedCall(options, http);
        return await call.RunAsync(cancellationToken);
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _sendLock.Dispose();
        _heard.Dispose();
    }

    private async Task<SimulatedCallResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _result.Duration = await _leg.TimedAsync(async limit =>
            {
                var connect = await _leg.AnswerAsync(_options.SignatureOverride, limit);
                if (connect?.Element("Stream") is { } stream && stream.Attribute("url")?.Value is { } url) // else e.g. <Say>…</Say><Hangup/>
                {
                    var parameters = TwilioCallLeg.Parameters(stream);
                    await StreamAsync(new Uri(url), _options.TamperStreamParameters?.Invoke(parameters) ?? parameters, limit);
                }
            }, cancellationToken);
        }
        finally
        {
            (_result.VoiceStatusCode, _result.TwiML) = (_leg.VoiceStatusCode, _leg.TwiML);
            _result.AgentAudioHeard = _heard.ToArray();
        }

        _result.StatusCallbackCode = await _leg.CompletedAsync(_result.Duration, cancellationToken);
        return _result;
    }

    private async Task StreamAsync(Uri url, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        _socket = new ClientWebSocket();
        await _socket.ConnectAsync(url, cancellationToken);
        _result.StreamOpened = true;
        await SendAsync(new ConnectedEvent("Call", "1.0.0"), cancellationToken);
        await SendAsync(new StartEvent(_streamSid, _options.CallSid, _options.AccountSid, parameters, "audio/x-mulaw", TelephoneFrames.SampleRate), cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiver = Task.Run(() => ReceiveAsync(stop), CancellationToken.None);
        try
        {
            await RunScriptAsync(stop.Token);
            if (_socket.State == WebSocketState.Open)
            {
                _hungUp = true;
                await SendAsync(new StopEvent(), CancellationToken.None);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "caller hung up", CancellationToken.None);
                // Hang up as Twilio does: wait for the server's close before letting go. Cancelling the pending receive
                // would abort the socket, and the reset made the server drop the last frames and the stop (seen in the
                // calls benchmark as lost caller audio).
                await receiver.WaitAsync(CloseTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (OperationCanceledException) when (_providerEnded.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // As Twilio does when a live call is redirected or hung up through the REST API: stop, then close.
            _result.EndedByProvider = true;
            await StopStreamAsync("call redirected or hung up");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The server ended the call (or the time limit hit).
        }
        catch (WebSocketException)
        {
            _result.EndedByServer = true;
        }

        await stop.CancelAsync();
        await receiver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _result.CloseStatus ??= _socket.CloseStatus;
        _result.CloseDescription ??= _socket.CloseStatusDescription;
    }

    /// <summary>The pacing loop: one caller frame per 20 ms tick (catching up if the timer was late), one agent frame played.</summary>
    private async Task RunScriptAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Frame);
        var started = Stopwatch.GetTimestamp();
        long ticks = 0;
        var silence = Enumerable.Repeat(TelephoneFrames.Silence, TelephoneFrames.FrameBytes).ToArray();
        foreach (var step in _options.Script)
        {
            switch (step)
            {
                case CallerStep.Say say:
                    for (var offset = 0; offset < say.MuLaw.Length; offset += TelephoneFrames.FrameBytes)
                    {
                        await TickAsync(FrameAt(say.MuLaw, offset, silence));
                    }

                    EndUtterance();
                    break;
                case CallerStep.Pause pause:
                    for (var i = 0; i < pause.Duration / Frame; i++)
                    {
                        await TickAsync(silence);
                    }

                    break;
                case CallerStep.WaitForAgent wait:
                    var waitStarted = Stopwatch.GetTimestamp();
                    var playedAtStart = Volatile.Read(ref _agentFramesPlayed);
                    while (Stopwatch.GetElapsedTime(waitStarted) < wait.Timeout && !AgentDone(playedAtStart, wait.QuietFor))
                    {
                        await TickAsync(silence);
                    }

                    break;
                case CallerStep.InterruptAgent interrupt:
                    var interruptStarted = Stopwatch.GetTimestamp();
                    var playedBefore = Volatile.Read(ref _agentFramesPlayed);
                    var framesToHear = (int)(interrupt.After / Frame);
                    while (Volatile.Read(ref _agentFramesPlayed) - playedBefore < framesToHear && Stopwatch.GetElapsedTime(interruptStarted) < interrupt.Timeout)
                    {
                        await TickAsync(silence);
                    }

                    for (var offset = 0; offset < interrupt.MuLaw.Length; offset += TelephoneFrames.FrameBytes)
                    {
                        await TickAsync(FrameAt(interrupt.MuLaw, offset, silence));
                    }

                    EndUtterance();
                    break;
                case CallerStep.PressKey key:
                    await SendAsync(new DtmfEvent(key.Digit), cancellationToken);
                    break;
                case CallerStep.SendRaw raw:
                    await SendRawAsync(System.Text.Encoding.UTF8.GetBytes(raw.Text), cancellationToken);
                    break;
                case CallerStep.HangUp:
                    return;
                case CallerStep.AnsweringMachineResult amd:
                    _result.AmdCallbackCodes.Add(await _leg.AnsweringMachineResultAsync(amd.AnsweredBy, amd.DetectionMilliseconds, CancellationToken.None)
                        ?? throw new InvalidOperationException("SimulatedCallOptions.AmdCallbackUrl is required for an answering-machine result."));
                    _providerEnded.ThrowIfCancellationRequested(); // the server acted on the result (hang-up/redirect)
                    break;
            }
        }

        async Task TickAsync(byte[] frame)
        {
            _providerEnded.ThrowIfCancellationRequested(); // checked between frames: cancelling a send would abort the socket
            // Real-time pacing: frame n goes out at n × 20 ms after the start, whatever the timer's jitter.
            while (Stopwatch.GetElapsedTime(started) < ticks * Frame)
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }

            ticks++;
            await SendAsync(new MediaEvent(_streamSid, ticks, ticks * TelephoneFrames.FrameMilliseconds, frame), cancellationToken);
            _result.CallerFramesSent++;
            await PlayOneFrameAsync(cancellationToken);
        }
    }

    private static byte[] FrameAt(byte[] audio, int offset, byte[] silence)
    {
        var frame = (byte[])silence.Clone();
        audio.AsSpan(offset, Math.Min(TelephoneFrames.FrameBytes, audio.Length - offset)).CopyTo(frame);
        return frame;
    }

    private void EndUtterance()
    {
        lock (_playback)
        {
            _utteranceEndedTicks = Stopwatch.GetTimestamp();
            _awaitingReply = true;
        }
    }

    private bool AgentDone(int playedAtStart, TimeSpan quietFor)
    {
        lock (_playback)
        {
            return _agentFramesPlayed > playedAtStart
                && _framesBuffered == 0
                && Stopwatch.GetElapsedTime(_lastAgentMediaTicks) >= quietFor;
        }
    }

    /// <summary>Plays one buffered agent frame and echoes the marks that the played audio has reached.</summary>
    private async Task PlayOneFrameAsync(CancellationToken cancellationToken)
    {
        List<string>? echoes = null;
        lock (_playback)
        {
            if (_buffer.Count == 0)
            {
                return; // the common case while the caller talks: nothing to play, nothing allocated
            }

            DrainMarks(ref echoes);
            if (_buffer.TryPeek(out var head) && head is byte[] frame)
            {
                _buffer.Dequeue();
                _framesBuffered--;
                _heard.Write(frame);
                _agentFramesPlayed++;
                DrainMarks(ref echoes);
            }
        }

        foreach (var mark in echoes ?? [])
        {
            await SendAsync(new MarkEvent(_streamSid, mark), cancellationToken);
            _result.MarksEchoed++;
        }
    }

    private void DrainMarks(ref List<string>? echoes)
    {
        while (_buffer.TryPeek(out var head) && head is string mark)
        {
            _buffer.Dequeue();
            (echoes ??= []).Add(mark);
        }
    }

    private async Task ReceiveAsync(CancellationTokenSource stop)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        try
        {
            while (true)
            {
                var bytes = await WebSocketMessages.ReceiveAsync(_socket!, buffer, stop.Token);
                if (bytes is null)
                {
                    // The server's answer to our own hang-up is not the server ending the call.
                    _result.EndedByServer = _socket!.CloseStatus is not null && !_hungUp;
                    _result.CloseStatus = _socket.CloseStatus;
                    _result.CloseDescription = _socket.CloseStatusDescription;
                    break;
                }

                switch (MediaStreamProtocol.Parse(bytes))
                {
                    case MediaEvent media:
                        lock (_playback)
                        {
                            _buffer.Enqueue(media.Payload);
                            _framesBuffered++;
                            _lastAgentMediaTicks = Stopwatch.GetTimestamp();
                            _result.AgentFrameTimestamps.Add(_lastAgentMediaTicks);
                            _result.AgentFramesReceived++;
                            if (_awaitingReply)
                            {
                                _awaitingReply = false;
                                _result.TurnLatenciesMs.Add(Stopwatch.GetElapsedTime(_utteranceEndedTicks).TotalMilliseconds);
                            }
                        }

                        break;
                    case MarkEvent mark:
                        lock (_playback)
                        {
                            _buffer.Enqueue(mark.Name);
                        }

                        break;
                    case ClearEvent:
                        var returned = new List<string>();
                        lock (_playback)
                        {
                            _result.ClearsReceived++;
                            foreach (var item in _buffer)
                            {
                                if (item is string name)
                                {
                                    returned.Add(name);
                                }
                                else
                                {
                                    _result.AgentFramesCleared++;
                                }
                            }

                            _buffer.Clear();
                            _framesBuffered = 0;
                        }

                        foreach (var name in returned)
                        {
                            await SendAsync(new MarkEvent(_streamSid, name), stop.Token);
                            _result.MarksEchoed++;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await stop.CancelAsync();
    }

    private async Task SendAsync(MediaStreamEvent message, CancellationToken cancellationToken) =>
        await SendRawAsync(MediaStreamProtocol.Write(message), cancellationToken);

    private async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket!.State == WebSocketState.Open)
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task StopStreamAsync(string reason)
    {
        try
        {
            if (_socket!.State == WebSocketState.Open)
            {
                _hungUp = true;
                await SendAsync(new StopEvent(), CancellationToken.None);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // The server closed first.
        }
    }
}
