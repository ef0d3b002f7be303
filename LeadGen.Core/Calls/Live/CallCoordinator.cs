using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Wires one call's transport (how the person is reached) to one engine session (how the agent thinks): caller audio to
/// the engine, engine audio to the transport as agent turns; what the transport reports played decides what enters the
/// transcript. Each concern is its own part (<see cref="HeardTranscript"/>, <see cref="BargeIn"/>,
/// <see cref="PendingCallAction"/>, <see cref="ToolDispatcher"/>, <see cref="TurnWriter"/>). The caller side and the
/// engine side (<see cref="RunEngineAsync"/>) run concurrently; parts are touched under one lock, never across an await.
/// </summary>
public sealed class CallCoordinator : ICallTransportEvents, IAsyncDisposable
{
    public const string OptOutKey = "9";

    private readonly LiveCallContext _context;
    private readonly ICallTransport _transport;
    private readonly IRealtimeVoiceSession _engine;
    private readonly CallMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly TurnWriter _writer;
    private readonly HeardTranscript _transcript;
    private readonly BargeIn _bargeIn = new();
    private readonly ToolDispatcher _tools;
    private readonly PendingCallAction _pending;
    private readonly ICallEventSink _sink;
    private readonly List<RealtimeToolCall> _uncommitted = []; // withdrawable tool calls whose turn is not final yet
    private bool _callerSpokeSinceAgent;
    private bool _actionAwaitsGeneration; // a call action was asked for and its tool results sent
    private Task _usageWrites = Task.CompletedTask;

    public CallCoordinator(
        LiveCallContext context,
        ICallTransport transport,
        IRealtimeVoiceSession engine,
        ICallEventSink sink,
        ILiveCallToolExecutor tools,
        CallMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _context = context;
        _transport = transport;
        _engine = engine;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _sink = sink;
        _writer = new TurnWriter(sink, logger);
        _transcript = new HeardTranscript(context.CallId, time, _writer.Enqueue);
        _tools = new ToolDispatcher(context, tools, transport.CanTransfer, logger);
        _pending = new PendingCallAction(transport, time, logger, context.CallId, () => _ended.CancelAsync());
    }

    /// <summary>Cancelled when the coordinator decided the call is over (hang-up, transfer, engine gone).</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Asks the engine to open the call with the disclosure line.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken) => _engine.SendTextAsync(LiveCallPrompts.Opening(_context.OpeningLine), cancellationToken);

    public async ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken)
    {
        bool bargeIn;
        lock (_gate)
        {
            if (voiced)
            {
                _transcript.LastCallerVoiceAt = _time.GetUtcNow();
                _callerSpokeSinceAgent = true;
            }

            bargeIn = _bargeIn.OnCallerAudio(voiced, EngineAudioFormat.Milliseconds(pcm.Length, _engine.Audio.InputSampleRate), _transcript.AgentAudioUnheard);
        }

        if (bargeIn)
        {
            await InterruptAgentAsync(byEngine: false, cancellationToken);
        }

        await _engine.SendAudioAsync(pcm, cancellationToken);
    }

    public async ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken)
    {
        if (key != OptOutKey)
        {
            return;
        }

        _logger.LogInformation("Call {CallId}: caller pressed {Key} to opt out", _context.CallId, key);
        var note = await _tools.OptOutAsync("caller pressed 9 during the call", cancellationToken);
        lock (_gate)
        {
            _transcript.System(note);
        }

        _pending.Set(new HangUp(), _ended.Token);
        await _engine.SendTextAsync(LiveCallPrompts.OptedOut, cancellationToken);
    }

    public async ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken)
    {
        bool finished;
        lock (_gate)
        {
            finished = _transcript.AgentAudioPlayed(turn, playedMs, turnComplete);
        }

        if (finished && _pending.IsPending)
        {
            await CommitToolsAsync(cancellationToken); // a turn that played out is final
            await _pending.RunAsync(cancellationToken); // the goodbye has been heard
        }
    }

    /// <summary>Reads the engine until the session or the call ends.</summary>
    public async Task RunEngineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _engine.ReadEventsAsync(cancellationToken))
            {
                switch (item)
                {
                    case AgentAudio audio:
                        await RelayAgentAudioAsync(audio.Pcm, cancellationToken);
                        break;
                    case AgentTranscript said:
                        lock (_gate)
                        {
                            if (!_bargeIn.DroppingAgentTurn)
                            {
                                _transcript.AgentSaid(said.Text);
                            }
                        }

                        break;
                    case CallerTranscript heard:
                        lock (_gate)
                        {
                            _transcript.CallerSaid(heard.Text);
                        }

                        break;
                    case AgentInterrupted:
                        await InterruptAgentAsync(byEngine: true, cancellationToken);
                        break;
                    case AgentGenerationComplete:
                        await GenerationFinishedAsync(cancellationToken);
                        break;
                    case AgentTurnComplete:
                        await GenerationFinishedAsync(cancellationToken); // for engines that send no generationComplete
                        await CompleteAgentTurnAsync(cancellationToken);
                        break;
                    case ToolCallsRequested tools:
                        await RunToolsAsync(tools.Calls, cancellationToken);
                        break;
                    case ToolCallsCancelled cancelled:
                        WithdrawTools(cancelled.Ids);
                        break;
                    case EngineUsage usage:
                        _usageWrites = StoreUsageAsync(_usageWrites, usage);
                        break;
                    case SessionEnded ended:
                        _logger.LogInformation("Call {CallId}: engine session ended: {Reason}", _context.CallId, ended.Reason);
                        await _ended.CancelAsync();
                        return;
                }
            }

            await _ended.CancelAsync(); // the engine's events ended without saying why: the session is gone
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The call ended first.
        }
    }

    /// <summary>Stores what is left of the transcript (unheard audio is not in it) and waits for the writes.</summary>
    public async ValueTask DisposeAsync()
    {
        // The person left mid-turn: what the model asked for and did not withdraw still counts (a do-not-call above all).
        await CommitToolsAsync(CancellationToken.None);
        lock (_gate)
        {
            _transcript.Close();
        }

        await _usageWrites;
        await _writer.DisposeAsync();
        await _engine.DisposeAsync();
        _ended.Dispose();
    }

    private async ValueTask RelayAgentAudioAsync(byte[] pcm, CancellationToken cancellationToken)
    {
        int sequence;
        double? latency = null;
        lock (_gate)
        {
            if (_bargeIn.DroppingAgentTurn)
            {
                return;
            }

            var turn = _transcript.StartAgentTurnIfNeeded();
            if (turn.SentMs == 0 && _callerSpokeSinceAgent && _transcript.LastCallerVoiceAt is { } lastVoice)
            {
                latency = (_time.GetUtcNow() - lastVoice).TotalMilliseconds;
            }

            _callerSpokeSinceAgent = false;
            turn.SentMs += EngineAudioFormat.Milliseconds(pcm.Length, _engine.Audio.OutputSampleRate);
            sequence = turn.Sequence;
        }

        if (latency is { } value)
        {
            _metrics.TurnLatency.Record(value);
        }

        await _transport.SendAgentAudioAsync(sequence, pcm, cancellationToken);
    }

    private async ValueTask CompleteAgentTurnAsync(CancellationToken cancellationToken)
    {
        int sequence;
        lock (_gate)
        {
            if (_bargeIn.EngineTurnEnded() || _transcript.CurrentAgentTurn is not { EndRequested: false } turn)
            {
                return;
            }

            turn.EndRequested = true;
            sequence = turn.Sequence;
        }

        await _transport.EndAgentTurnAsync(sequence, cancellationToken);
    }

    private async ValueTask InterruptAgentAsync(bool byEngine, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_transcript.InterruptAgent() is not { } cut)
            {
                if (byEngine)
                {
                    _bargeIn.EngineInterruptedNothing();
                }

                return;
            }

            _bargeIn.AgentInterrupted(byEngine, engineFinishedTurn: cut.EndRequested);
        }

        _metrics.BargeIns.Add(1);
        await _transport.ClearAgentAudioAsync(cancellationToken);
    }

    private async Task RunToolsAsync(IReadOnlyList<RealtimeToolCall> calls, CancellationToken cancellationToken)
    {
        var dispatch = await _tools.DispatchAsync(calls, cancellationToken);
        if (dispatch.Action is { } action)
        {
            _pending.Set(action, _ended.Token, dispatch.ActionCallId);
        }

        lock (_gate)
        {
            _uncommitted.AddRange(dispatch.Deferred ?? []);
            foreach (var note in dispatch.Notes)
            {
                _transcript.System(note);
            }
        }

        await _engine.SendToolResultsAsync(dispatch.Results, cancellationToken);
        _actionAwaitsGeneration = dispatch.Action is not null;
    }

    /// <summary>
    /// The model finished generating: its tool calls can no longer be withdrawn, so they take effect now. If a call
    /// action waits and the agent has nothing left to play (it said goodbye before calling end_call), it runs now
    /// instead of waiting out <see cref="PendingCallAction.Timeout"/>.
    /// </summary>
    private async ValueTask GenerationFinishedAsync(CancellationToken cancellationToken)
    {
        await CommitToolsAsync(cancellationToken);
        bool runNow;
        lock (_gate)
        {
            runNow = _actionAwaitsGeneration && !_transcript.AgentAudioUnheard;
        }

        _actionAwaitsGeneration = false;
        if (runNow)
        {
            await _pending.RunAsync(cancellationToken);
        }
    }

    private async ValueTask CommitToolsAsync(CancellationToken cancellationToken)
    {
        RealtimeToolCall[] calls;
        lock (_gate)
        {
            calls = [.. _uncommitted];
            _uncommitted.Clear();
        }

        if (calls.Length == 0)
        {
            return;
        }

        var notes = await _tools.CommitAsync(calls, cancellationToken);
        lock (_gate)
        {
            foreach (var note in notes)
            {
                _transcript.System(note);
            }
        }
    }

    /// <summary>The model took tool calls back (the caller cut in): they never take effect, nor does their call action.</summary>
    private void WithdrawTools(IReadOnlyList<string> ids)
    {
        var withdrawnAction = _pending.Withdraw(ids);
        lock (_gate)
        {
            var withdrawn = _uncommitted.RemoveAll(call => ids.Contains(call.Id));
            _transcript.System($"model withdrew tool call(s) {string.Join(", ", ids)}: {withdrawn} not carried out{(withdrawnAction ? ", call action dropped" : string.Empty)}");
        }

        _logger.LogInformation("Call {CallId}: model withdrew tool calls {Ids}", _context.CallId, string.Join(", ", ids));
    }

    private async Task StoreUsageAsync(Task previous, EngineUsage usage)
    {
        await previous;
        try
        {
            await _sink.AddUsageAsync(_context.CallId, usage, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogWarning(exception, "Call {CallId}: could not store token usage", _context.CallId);
        }
    }
}
