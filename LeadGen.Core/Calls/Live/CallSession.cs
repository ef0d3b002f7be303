using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Bridges one phone call to one realtime model session. Caller audio (μ-law 8 kHz) is decoded, up-sampled and sent
/// to the model; model audio (PCM16 24 kHz) is down-sampled, encoded and sent to the caller in 20 ms frames, each
/// model chunk followed by a mark. Marks echoed back tell us what the caller actually heard, so when the model is
/// interrupted (or the caller talks over buffered audio) we send <c>clear</c> and keep in the transcript only the
/// heard share of the agent's words. Tools <c>end_call</c> and <c>transfer_to_human</c> act on the call once the
/// agent's last words have played; DTMF 9 opts the caller out.
/// </summary>
public sealed class CallSession : IAsyncDisposable
{
    public const string EndCallTool = QualificationTools.EndCall;
    public const string TransferTool = QualificationTools.TransferToHuman;
    public const string DoNotCallTool = QualificationTools.MarkDoNotCall;
    public const string OptOutDigit = "9";

    /// <summary>Mean absolute amplitude above which a 20 ms caller frame counts as speech (≈ -36 dBFS).</summary>
    private const double VoiceThreshold = 500;

    /// <summary>Caller speech this long over unheard agent audio is a barge-in even if the model did not say so.</summary>
    private const int LocalBargeInFrames = 15;

    // A mark after every model chunk (40 ms) made marks a third of the messages to the caller; one per 100 ms of audio
    // keeps "what was heard" accurate to a tenth of a second (the turn's end always gets its own mark).
    private const int MarkIntervalMs = 100;

    private static readonly TimeSpan PendingActionTimeout = TimeSpan.FromSeconds(10);

    private readonly LiveCallContext _context;
    private readonly string? _providerCallId;
    private readonly ICallerChannel _caller;
    private readonly IRealtimeVoiceSession _model;
    private readonly ICallEventSink _sink;
    private readonly ILiveCallToolExecutor _tools;
    private readonly ITelephonyProvider _telephony;
    private readonly CallMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallAudioConverter _audio = new();
    private readonly Lock _gate = new();
    private readonly Channel<CallTurn> _turnWrites = Channel.CreateUnbounded<CallTurn>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _ended = new();
    private readonly Task _turnWriter;
    private readonly List<double> _turnLatencies = [];

    private int _nextSequence;
    private AgentTurn? _agentTurn;
    private CallerTurn? _callerTurn;
    private bool _discardAgentAudioUntilTurnEnds;
    private DateTimeOffset? _lastCallerVoiceAt;
    private bool _callerSpokeSinceAgent;
    private int _voicedRun;
    private PendingAction? _pendingAction;

    public CallSession(
        LiveCallContext context,
        string? providerCallId,
        ICallerChannel caller,
        IRealtimeVoiceSession model,
        ICallEventSink sink,
        ILiveCallToolExecutor tools,
        ITelephonyProvider telephony,
        CallMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _context = context;
        _providerCallId = providerCallId;
        _caller = caller;
        _model = model;
        _sink = sink;
        _tools = tools;
        _telephony = telephony;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _turnWriter = Task.Run(WriteTurnsAsync);
    }

    /// <summary>Cancelled when the session decided the call is over (hang-up, transfer, model gone).</summary>
    public CancellationToken Ended => _ended.Token;

    public IReadOnlyList<double> TurnLatencies
    {
        get
        {
            lock (_gate)
            {
                return [.. _turnLatencies];
            }
        }
    }

    /// <summary>Asks the model to open the call with the disclosure line.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken) => _model.SendTextAsync(
        $"The call has connected. Greet the person now by saying exactly this, then continue the conversation: \"{_context.OpeningLine}\"",
        cancellationToken);

    public async ValueTask OnCallerAudioAsync(byte[] mulaw, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var voiced = IsVoiced(mulaw);
        var bargeIn = false;
        lock (_gate)
        {
            if (voiced)
            {
                _lastCallerVoiceAt = now;
                _callerSpokeSinceAgent = true;
                _voicedRun++;
                bargeIn = _voicedRun == LocalBargeInFrames && _agentTurn is { Finished: false } turn && turn.SentMs > turn.HeardMs;
            }
            else
            {
                _voicedRun = 0;
            }
        }

        if (bargeIn)
        {
            await InterruptAgentAsync(byModel: false, cancellationToken);
        }

        await _model.SendAudioAsync(_audio.CallerToModel(mulaw), cancellationToken);
    }

    public async ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken)
    {
        if (digit != OptOutDigit)
        {
            return;
        }

        _logger.LogInformation("Call {CallId}: caller pressed {Digit} to opt out", _context.CallId, digit);
        var recorded = await ExecuteToolAsync(new RealtimeToolCall("dtmf-opt-out", DoNotCallTool, new JsonObject { ["reason"] = "caller pressed 9 during the call" }), cancellationToken);
        QueueSystemTurn(recorded["error"] is null
            ? "Caller pressed 9: opted out; number added to the do-not-call list."
            : "Caller pressed 9 to opt out, but storing it failed: add the number to the do-not-call list by hand.");
        lock (_gate)
        {
            _pendingAction = new PendingAction(EndCallTool, null, _time.GetUtcNow());
        }

        ArmPendingActionTimeout();
        await _model.SendTextAsync(
            "The caller just pressed 9 to opt out of future calls. They have been added to the do-not-call list. Confirm that in one short sentence, say goodbye, and end the call.",
            cancellationToken);
    }

    public async ValueTask OnMarkAsync(string name, CancellationToken cancellationToken)
    {
        var parts = name.Split(':');
        if (parts.Length < 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var sequence)
            || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var heardMs))
        {
            return;
        }

        CallTurn? finished = null;
        PendingAction? action = null;
        lock (_gate)
        {
            if (_agentTurn is { } turn && turn.Sequence == sequence && !turn.Finished)
            {
                turn.HeardMs = Math.Max(turn.HeardMs, heardMs);
                if (parts.Length == 3 && parts[2] == "end")
                {
                    finished = FinishAgentTurn(turn, interrupted: false);
                    action = _pendingAction;
                }
            }
        }

        if (finished is not null)
        {
            _turnWrites.Writer.TryWrite(finished);
        }

        if (action is not null)
        {
            await RunPendingActionAsync(cancellationToken);
        }
    }

    /// <summary>Reads the model until the session or the call ends.</summary>
    public async Task RunModelAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _model.ReadEventsAsync(cancellationToken))
            {
                switch (item)
                {
                    case AgentAudio audio:
                        await RelayAgentAudioAsync(audio.Pcm24k, cancellationToken);
                        break;
                    case AgentTranscript said:
                        lock (_gate)
                        {
                            if (!_discardAgentAudioUntilTurnEnds)
                            {
                                StartAgentTurnIfNeeded().Text.Append(said.Text);
                            }
                        }

                        break;
                    case CallerTranscript heard:
                        lock (_gate)
                        {
                            _callerTurn ??= new CallerTurn(_nextSequence++, _time.GetUtcNow());
                            _callerTurn.Text.Append(heard.Text);
                        }

                        break;
                    case AgentInterrupted:
                        await InterruptAgentAsync(byModel: true, cancellationToken);
                        break;
                    case AgentTurnComplete:
                        await CompleteAgentTurnAsync(cancellationToken);
                        break;
                    case ToolCallsRequested tools:
                        await RunToolsAsync(tools.Calls, cancellationToken);
                        break;
                    case SessionResumed resumed:
                        _logger.LogInformation("Call {CallId}: model session resumed (reconnect {Count})", _context.CallId, resumed.Reconnects);
                        break;
                    case SessionEnded ended:
                        _logger.LogInformation("Call {CallId}: model session ended: {Reason}", _context.CallId, ended.Reason);
                        await _ended.CancelAsync();
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call ended first.
        }
    }

    /// <summary>Stores what is left of the transcript (unheard audio is not in it) and waits for the writes.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_agentTurn is { Finished: false } turn)
            {
                var partial = FinishAgentTurn(turn, interrupted: turn.HeardMs < turn.SentMs);
                if (partial is not null)
                {
                    _turnWrites.Writer.TryWrite(partial);
                }
            }

            FlushCallerTurn();
        }

        _turnWrites.Writer.TryComplete();
        await _turnWriter;
        await _model.DisposeAsync();
        _ended.Dispose();
    }

    private async ValueTask RelayAgentAudioAsync(byte[] pcm24k, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> frames;
        AgentTurn turn;
        double? latency = null;
        int? markAtMs = null;
        lock (_gate)
        {
            if (_discardAgentAudioUntilTurnEnds)
            {
                return;
            }

            turn = StartAgentTurnIfNeeded();
            frames = _audio.ModelToCaller(pcm24k);
            if (frames.Count == 0)
            {
                return;
            }

            if (turn.SentMs == 0 && _callerSpokeSinceAgent && _lastCallerVoiceAt is { } lastVoice)
            {
                latency = (_time.GetUtcNow() - lastVoice).TotalMilliseconds;
                turn.LatencyMs = latency;
                _turnLatencies.Add(latency.Value);
            }

            _callerSpokeSinceAgent = false;
            turn.SentMs += frames.Count * TelephoneFrames.FrameMilliseconds;
            if (turn.SentMs - turn.MarkedMs >= MarkIntervalMs)
            {
                turn.MarkedMs = turn.SentMs;
                markAtMs = turn.SentMs;
            }
        }

        if (latency is { } value)
        {
            _metrics.TurnLatency.Record(value);
        }

        foreach (var frame in frames)
        {
            await _caller.SendMediaAsync(frame, cancellationToken);
        }

        if (markAtMs is { } heardWhenPlayed)
        {
            await _caller.SendMarkAsync($"{turn.Sequence}:{heardWhenPlayed}", cancellationToken);
        }
    }

    private async ValueTask CompleteAgentTurnAsync(CancellationToken cancellationToken)
    {
        byte[]? last;
        AgentTurn? turn;
        lock (_gate)
        {
            if (_discardAgentAudioUntilTurnEnds)
            {
                _discardAgentAudioUntilTurnEnds = false;
                return;
            }

            turn = _agentTurn is { Finished: false, EndMarkSent: false } current ? current : null;
            if (turn is null)
            {
                return;
            }

            last = _audio.FlushToCaller();
            if (last is not null)
            {
                turn.SentMs += TelephoneFrames.FrameMilliseconds;
            }

            turn.EndMarkSent = true;
        }

        if (last is not null)
        {
            await _caller.SendMediaAsync(last, cancellationToken);
        }

        await _caller.SendMarkAsync($"{turn.Sequence}:{turn.SentMs}:end", cancellationToken);
    }

    private async ValueTask InterruptAgentAsync(bool byModel, CancellationToken cancellationToken)
    {
        CallTurn? truncated;
        lock (_gate)
        {
            if (_agentTurn is not { Finished: false } turn)
            {
                if (byModel)
                {
                    _discardAgentAudioUntilTurnEnds = false;
                }

                return;
            }

            _audio.DiscardPendingToCaller();
            truncated = FinishAgentTurn(turn, interrupted: true);
            // A local barge-in happens while the model may still be generating: drop the rest of that turn.
            _discardAgentAudioUntilTurnEnds = !byModel && !turn.EndMarkSent;
        }

        _metrics.BargeIns.Add(1);
        await _caller.SendClearAsync(cancellationToken);
        if (truncated is not null)
        {
            _turnWrites.Writer.TryWrite(truncated);
        }
    }

    private async Task RunToolsAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var results = new List<RealtimeToolResult>(calls.Count);
        foreach (var call in calls)
        {
            JsonObject response;
            switch (call.Name)
            {
                case EndCallTool:
                    await ExecuteToolAsync(call, cancellationToken); // records the outcome
                    SetPendingAction(new PendingAction(EndCallTool, null, _time.GetUtcNow()));
                    response = new JsonObject { ["ok"] = true, ["note"] = "The call ends after your goodbye has played." };
                    break;
                case TransferTool when _context.TransferNumber is { Length: > 0 } number:
                    await ExecuteToolAsync(call, cancellationToken);
                    SetPendingAction(new PendingAction(TransferTool, number, _time.GetUtcNow()));
                    response = new JsonObject { ["ok"] = true, ["note"] = "Tell the caller you are connecting them now; the transfer starts when you finish." };
                    break;
                case TransferTool:
                    response = new JsonObject { ["ok"] = false, ["error"] = "No human is available to take this call; offer to schedule a callback." };
                    break;
                default:
                    response = await ExecuteToolAsync(call, cancellationToken);
                    break;
            }

            QueueSystemTurn($"tool {call.Name}({call.Arguments.ToJsonString()}) → {response.ToJsonString()}");
            results.Add(new RealtimeToolResult(call.Id, call.Name, response));
        }

        await _model.SendToolResultsAsync(results, cancellationToken);
    }

    /// <summary>A failing tool must not take the call down: the model hears that it failed and carries on.</summary>
    private async Task<JsonObject> ExecuteToolAsync(RealtimeToolCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await _tools.ExecuteAsync(_context.CallId, call, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning(exception, "Call {CallId}: tool {Tool} failed", _context.CallId, call.Name);
            return new JsonObject { ["ok"] = false, ["error"] = "The tool failed; continue without it." };
        }
    }

    private void SetPendingAction(PendingAction action)
    {
        lock (_gate)
        {
            _pendingAction = action;
        }

        ArmPendingActionTimeout();
    }

    /// <summary>If the model never speaks (or its last words never get confirmed), act anyway after a while.</summary>
    private void ArmPendingActionTimeout() => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(PendingActionTimeout, _time, _ended.Token);
            await RunPendingActionAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The call ended before the timeout.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    });

    private async Task RunPendingActionAsync(CancellationToken cancellationToken)
    {
        PendingAction? action;
        lock (_gate)
        {
            action = _pendingAction;
            _pendingAction = null;
        }

        if (action is null || _ended.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (_providerCallId is not null)
            {
                if (action.Tool == TransferTool)
                {
                    _logger.LogInformation("Call {CallId}: transferring to a human", _context.CallId);
                    await _telephony.RedirectAsync(_providerCallId, TwiML.Dial(action.TransferNumber!), cancellationToken);
                }
                else
                {
                    await _telephony.HangUpAsync(_providerCallId, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            _logger.LogWarning(exception, "Call {CallId}: {Action} through the telephony provider failed; closing the stream", _context.CallId, action.Tool);
        }

        // Closing the stream ends <Connect>; with no TwiML after it the call ends (or the redirect has taken over).
        await _ended.CancelAsync();
    }

    private AgentTurn StartAgentTurnIfNeeded()
    {
        if (_agentTurn is { Finished: false } current)
        {
            return current;
        }

        FlushCallerTurn();
        _agentTurn = new AgentTurn(_nextSequence++, _time.GetUtcNow());
        return _agentTurn;
    }

    private void FlushCallerTurn()
    {
        if (_callerTurn is { } caller && caller.Text.Length > 0)
        {
            _turnWrites.Writer.TryWrite(new CallTurn
            {
                CallId = _context.CallId,
                Seq = caller.Sequence,
                Speaker = CallSpeakers.Caller,
                Text = caller.Text.ToString().Trim(),
                StartedAt = caller.StartedAt,
                EndedAt = _lastCallerVoiceAt is { } last && last > caller.StartedAt ? last : _time.GetUtcNow(),
            });
        }

        _callerTurn = null;
    }

    private CallTurn? FinishAgentTurn(AgentTurn turn, bool interrupted)
    {
        turn.Finished = true;
        var text = turn.Text.ToString().Trim();
        var heard = interrupted ? HeardPart(text, turn.HeardMs, turn.SentMs) : text;
        if (heard.Length == 0)
        {
            return null; // nothing of it reached the caller
        }

        return new CallTurn
        {
            CallId = _context.CallId,
            Seq = turn.Sequence,
            Speaker = CallSpeakers.Agent,
            Text = heard,
            StartedAt = turn.StartedAt,
            EndedAt = _time.GetUtcNow(),
            Interrupted = interrupted,
        };
    }

    /// <summary>The share of the words matching the share of the audio the caller heard (speech rate assumed even).</summary>
    internal static string HeardPart(string text, int heardMs, int sentMs)
    {
        if (sentMs <= 0 || heardMs <= 0)
        {
            return string.Empty;
        }

        if (heardMs >= sentMs)
        {
            return text;
        }

        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var keep = (int)Math.Round(words.Length * (double)heardMs / sentMs, MidpointRounding.AwayFromZero);
        return keep == 0 ? string.Empty : string.Join(' ', words.Take(keep)) + " —";
    }

    private void QueueSystemTurn(string text)
    {
        var now = _time.GetUtcNow();
        int sequence;
        lock (_gate)
        {
            sequence = _nextSequence++;
        }

        _turnWrites.Writer.TryWrite(new CallTurn { CallId = _context.CallId, Seq = sequence, Speaker = CallSpeakers.System, Text = text, StartedAt = now, EndedAt = now });
    }

    private async Task WriteTurnsAsync()
    {
        await foreach (var turn in _turnWrites.Reader.ReadAllAsync())
        {
            try
            {
                await _sink.AppendTurnAsync(turn, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // Never take the call down for a transcript write; the log keeps what was lost.
                _logger.LogError(exception, "Call {CallId}: could not store transcript turn {Sequence}", turn.CallId, turn.Seq);
            }
        }
    }

    private static bool IsVoiced(byte[] mulaw)
    {
        if (mulaw.Length == 0)
        {
            return false;
        }

        long sum = 0;
        foreach (var code in mulaw)
        {
            sum += Math.Abs((int)MuLaw.Decode(code));
        }

        return (double)sum / mulaw.Length > VoiceThreshold;
    }

    private sealed class AgentTurn(int sequence, DateTimeOffset startedAt)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public StringBuilder Text { get; } = new();

        public int SentMs { get; set; }

        public int HeardMs { get; set; }

        public int MarkedMs { get; set; }

        public bool EndMarkSent { get; set; }

        public bool Finished { get; set; }

        public double? LatencyMs { get; set; }
    }

    private sealed class CallerTurn(int sequence, DateTimeOffset startedAt)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public StringBuilder Text { get; } = new();
    }

    private sealed record PendingAction(string Tool, string? TransferNumber, DateTimeOffset RequestedAt);
}
