using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Wires one call's transport (how the person is reached) to one engine (how the agent thinks): the caller's audio or
/// words to the engine, the agent's audio or words to the transport as agent turns; what the transport reports heard
/// decides what enters the transcript. It owns nothing else: each concern is its own part (<see cref="CallTurns"/> —
/// the <see cref="HeardTranscript"/> and <see cref="BargeIn"/> —, <see cref="CallActions"/> — tools and the call action
/// they lead to —, <see cref="TurnWriter"/>, <see cref="UsageWriter"/>, <see cref="SilenceWatch"/>). One coordinator for both kinds
/// of engine: an audio engine's transcript is only recorded, a text engine's is the reply the transport voices.
/// The caller side and the engine side (<see cref="RunEngineAsync"/>) run concurrently.
/// </summary>
public sealed class CallCoordinator : ICallTransportEvents, IAsyncDisposable
{
    public const string OptOutKey = "9";

    private readonly LiveCallContext _context;
    private readonly ICallTransport _transport;
    private readonly ICallEngine _engine;
    private readonly CallMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _ended = new();
    private readonly TurnWriter _writer;
    private readonly CallTurns _turns;
    private readonly CallActions _actions;
    private readonly UsageWriter _usage;
    private readonly SilenceWatch? _silence;
    private readonly EngineAudioFormat? _audio; // null: a text engine
    private readonly CallerAudioBatch? _callerAudio;

    public CallCoordinator(
        LiveCallContext context, ICallTransport transport, ICallEngine engine, ICallEventSink sink, ILiveCallToolExecutor tools, CallMetrics metrics, TimeProvider time, ILogger logger)
    {
        _context = context;
        _transport = transport;
        _engine = engine;
        _metrics = metrics;
        _logger = logger;
        _audio = engine.Audio;
        _callerAudio = _audio is { } format ? new CallerAudioBatch(2 * format.InputSampleRate) : null;
        _usage = new UsageWriter(context.CallId, sink, logger);
        _writer = new TurnWriter(sink, logger);
        _turns = new CallTurns(context.CallId, time, _writer.Enqueue);
        var pending = new PendingCallAction(transport, time, logger, context.CallId, () => _ended.CancelAsync());
        _actions = new CallActions(
            _turns, new ToolDispatcher(context, tools, transport.CanTransfer, logger), pending, _audio is not null, logger, context.CallId, _ended.Token);
        _silence = transport.SilenceTimeout is { } silence ? new SilenceWatch(silence, time, OnSilenceAsync) : null;
    }

    public CallCoordinator(
        LiveCallContext context, ICallTransport transport, IRealtimeVoiceSession engine, ICallEventSink sink, ILiveCallToolExecutor tools, CallMetrics metrics, TimeProvider time, ILogger logger)
        : this(context, transport, new RealtimeVoiceEngine(engine), sink, tools, metrics, time, logger)
    {
    }

    /// <summary>Cancelled when the coordinator decided the call is over (hang-up, transfer, engine gone).</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Opens the call: the engine says the opening line, or hears that the transport already did (then an ended agent turn).</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_transport.SpokenGreeting is not { } greeting)
        {
            await _engine.StartAsync(_context.OpeningLine, alreadySpoken: false, cancellationToken);
            return;
        }

        var turn = _turns.Greeting(greeting);
        await _engine.StartAsync(greeting, alreadySpoken: true, cancellationToken);
        await _transport.EndAgentTurnAsync(turn, cancellationToken);
    }

    public async ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken)
    {
        if (_turns.CallerAudio(voiced, EngineAudioFormat.Milliseconds(pcm.Length, _audio!.InputSampleRate), out var agentPlaying))
        {
            await InterruptAgentAsync(byEngine: false, heardText: null, cancellationToken);
        }

        if (_callerAudio!.Add(pcm, mayWait: voiced || agentPlaying) is { IsEmpty: false } message)
        {
            await _engine.SendCallerAudioAsync(message, cancellationToken);
        }
    }

    public async ValueTask OnCallerTextAsync(string text, CancellationToken cancellationToken)
    {
        _turns.CallerText(text);
        _silence?.CallerSpoke();
        await _engine.SendCallerTextAsync(text, cancellationToken);
    }

    public async ValueTask OnCallerInterruptedAsync(string heard, CancellationToken cancellationToken)
    {
        _silence?.CallerSpoke();
        await InterruptAgentAsync(byEngine: false, heard, cancellationToken);
        await _engine.AgentInterruptedAsync(heard, cancellationToken);
    }

    public async ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken)
    {
        if (key != OptOutKey)
        {
            return;
        }

        _logger.LogInformation("Call {CallId}: caller pressed {Key} to opt out", _context.CallId, key);
        await _actions.OptOutAsync("caller pressed 9 during the call", cancellationToken);
        await _engine.SendNoteAsync(CallNote.OptedOut, cancellationToken);
    }

    public async ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken)
    {
        if (!_turns.AgentPlayed(turn, playedMs, turnComplete))
        {
            return;
        }

        if (!await _actions.AgentTurnHeardAsync(turn, cancellationToken)) // else the goodbye has been heard: the call ends
        {
            _silence?.AgentFinished();
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
                    case AgentTranscript said when _audio is null:
                        await RelayAgentTextAsync(said.Text, cancellationToken);
                        break;
                    case AgentTranscript said:
                        _turns.AgentTranscript(said.Text);
                        break;
                    case CallerTranscript heard:
                        _turns.CallerTranscript(heard.Text);
                        break;
                    case AgentInterrupted:
                        await InterruptAgentAsync(byEngine: true, heardText: null, cancellationToken);
                        break;
                    case AgentGenerationComplete:
                        await _actions.GenerationFinishedAsync(cancellationToken);
                        break;
                    case AgentTurnComplete:
                        await _actions.GenerationFinishedAsync(cancellationToken); // for engines that send no generationComplete
                        if (_turns.CompleteAgentTurn() is { } turn)
                        {
                            await _transport.EndAgentTurnAsync(turn, cancellationToken);
                        }

                        break;
                    case ToolCallsRequested tools:
                        await _engine.SendToolResultsAsync(await _actions.DispatchAsync(tools.Calls, cancellationToken), cancellationToken);
                        break;
                    case ToolCallsCancelled cancelled:
                        _actions.Withdraw(cancelled.Ids);
                        break;
                    case EngineUsage usage:
                        _usage.Add(usage);
                        _turns.AgentUsage(usage.InputTokens, usage.OutputTokens);
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
        _silence?.Dispose();
        // The person left mid-turn: what the model asked for and did not withdraw still counts (a do-not-call above all).
        await _actions.CommitAsync(CancellationToken.None);
        if (_callerAudio?.TakeHeld() is { IsEmpty: false } rest)
        {
            await _engine.SendCallerAudioAsync(rest, CancellationToken.None); // the caller's last frame still counts
        }

        _turns.Close();
        await _usage.DisposeAsync();
        await _writer.DisposeAsync();
        await _engine.DisposeAsync();
        _ended.Dispose();
    }

    private async ValueTask RelayAgentAudioAsync(byte[] pcm, CancellationToken cancellationToken)
    {
        if (AgentOutput(EngineAudioFormat.Milliseconds(pcm.Length, _audio!.OutputSampleRate), text: null) is { } turn)
        {
            await _transport.SendAgentAudioAsync(turn, pcm, cancellationToken);
        }
    }

    private async ValueTask RelayAgentTextAsync(string text, CancellationToken cancellationToken)
    {
        if (AgentOutput(audioMs: 0, text) is { } turn)
        {
            await _transport.SendAgentTextAsync(turn, text, cancellationToken);
        }
    }

    private int? AgentOutput(int audioMs, string? text)
    {
        if (_turns.AgentOutput(audioMs, text) is not { } output)
        {
            return null; // the rest of an interrupted turn
        }

        _silence?.AgentSpeaking();
        if (output.LatencyMs is { } latency)
        {
            _metrics.TurnLatency.Record(latency);
        }

        return output.Turn;
    }

    private async ValueTask InterruptAgentAsync(bool byEngine, string? heardText, CancellationToken cancellationToken)
    {
        if (_turns.InterruptAgent(byEngine, heardText))
        {
            _metrics.BargeIns.Add(1);
            await _transport.ClearAgentAudioAsync(cancellationToken);
        }
    }

    /// <summary>The line stayed silent after the agent: ask once, then say goodbye and hang up once it has played.</summary>
    private async Task OnSilenceAsync(int silences)
    {
        if (silences > 1)
        {
            _actions.HangUpAfterGoodbye("no-response");
        }

        await _engine.SendNoteAsync(silences > 1 ? CallNote.NoResponse : CallNote.StillThere, _ended.Token);
    }
}
