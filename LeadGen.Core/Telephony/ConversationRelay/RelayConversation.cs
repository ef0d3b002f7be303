using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Gemini;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// One ConversationRelay call driving the text agent. Twilio turns the caller's speech into <c>prompt</c>s and our
/// streamed <c>text</c> tokens into speech. Caller turns run one at a time, in order, while the socket keeps being
/// read, so an <c>interrupt</c> (barge-in) stops the reply being streamed and trims the agent's transcript turn — and
/// the model's history — to what the caller heard. DTMF 9 opts out; <c>end_call</c> and <c>transfer_to_human</c> end
/// the session with <c>end</c> + handoffData once the goodbye has had time to play (the &lt;Connect action&gt; webhook
/// then hangs up or dials a human). Silence gets one "are you still there?", then the call ends.
/// </summary>
public sealed class RelayConversation : IAsyncDisposable
{
    public const string OptOutDigit = "9";
    public const string StillThereLine = "Are you still there? I'm happy to wait a moment.";
    public const string NoResponseLine = "I can't seem to hear you, so I'll try another time. Goodbye!";

    private readonly RelayCallContext _context;
    private readonly AgentSession _session;
    private readonly Func<RelayMessage, CancellationToken, ValueTask> _send;
    private readonly QualificationAgent _agent;
    private readonly ILeadQualificationStore _store;
    private readonly ICallEventSink _sink;
    private readonly CallStore _calls;
    private readonly CallMetrics _metrics;
    private readonly ConversationRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<TurnInput> _inputs = Channel.CreateUnbounded<TurnInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<CallTurn> _turnWrites = Channel.CreateUnbounded<CallTurn>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _turnWriter;
    private readonly List<double> _turnLatencies = [];

    private int _nextSequence;
    private SpokenTurn? _speaking; // the agent turn Twilio is (or was last) speaking, stored once we know what was heard
    private string? _heardOfLastReply; // set by an interrupt; the model's history keeps only this much of its last reply
    private int _replyGeneration; // bumped by every interrupt: tokens of an older reply are no longer sent

    public RelayConversation(
        RelayCallContext context,
        Func<RelayMessage, CancellationToken, ValueTask> send,
        QualificationAgent agent,
        ILeadQualificationStore store,
        ICallEventSink sink,
        CallStore calls,
        CallMetrics metrics,
        ConversationRelayOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _context = context;
        _session = context.NewSession();
        _send = send;
        _agent = agent;
        _store = store;
        _sink = sink;
        _calls = calls;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _turnWriter = Task.Run(WriteTurnsAsync);

        // Twilio speaks the welcome greeting from the TwiML as soon as the session starts: it is the first agent turn.
        _speaking = new SpokenTurn(_nextSequence++, time.GetUtcNow(), context.Greeting.Text);
    }

    public Guid CallId => _context.Call.Id;

    /// <summary>Why the session ended from our side (null while it goes on or when the caller hung up).</summary>
    public string? EndReason { get; private set; }

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

    /// <summary>Handles one message from Twilio (called by the socket's reader, in order).</summary>
    public void OnMessage(RelayMessage message)
    {
        switch (message)
        {
            case RelayPrompt { Last: true } prompt when prompt.VoicePrompt.Trim().Length > 0:
                FlushSpokenTurn();
                _inputs.Writer.TryWrite(new CallerSaid(prompt.VoicePrompt.Trim(), _time.GetUtcNow(), Stopwatch.GetTimestamp()));
                break;
            case RelayPrompt:
                break; // partial transcripts (partialPrompts) and empty finals: the final one carries the whole utterance
            case RelayInterrupt interrupt:
                OnInterrupt(interrupt.UtteranceUntilInterrupt);
                break;
            case RelayDtmf { Digit: OptOutDigit }:
                _inputs.Writer.TryWrite(new KeypadOptOut());
                break;
            case RelayDtmf dtmf:
                _logger.LogDebug("Call {CallId}: ignored keypad digit {Digit}", CallId, dtmf.Digit);
                break;
            case RelayError error:
                _logger.LogWarning("Call {CallId}: ConversationRelay reported an error: {Description}", CallId, error.Description);
                break;
            case RelayMalformed malformed:
                _metrics.MalformedFrames.Add(1);
                _logger.LogDebug("Call {CallId}: skipped a malformed ConversationRelay message: {Reason}", CallId, malformed.Reason);
                break;
            default:
                _metrics.MalformedFrames.Add(1); // setup again, or one of our own message types: out of place
                break;
        }
    }

    /// <summary>Runs the caller's turns until the agent ends the call or <paramref name="cancellationToken"/> fires (hang-up).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var silencePrompts = 0;
        var quietSince = _time.GetUtcNow() + _options.Playout(_context.Greeting.Text);
        while (!cancellationToken.IsCancellationRequested)
        {
            var input = await NextInputAsync(quietSince + _options.SilenceTimeout, cancellationToken);
            string reply;
            switch (input)
            {
                case CallerSaid said:
                    silencePrompts = 0;
                    reply = await ReplyAsync(said, cancellationToken);
                    break;
                case KeypadOptOut:
                    reply = await OptOutAsync(cancellationToken);
                    break;
                default: // silence
                    if (silencePrompts++ == 0)
                    {
                        reply = await SayAsync(StillThereLine, cancellationToken);
                        break;
                    }

                    reply = await SayAsync(NoResponseLine, cancellationToken);
                    await EndAsync("no-response", "The caller did not answer.", reply, cancellationToken);
                    return;
            }

            if (_session.State.Ended)
            {
                var transfer = _session.State.TransferRequested && _context.TransferNumber is not null;
                await EndAsync(
                    transfer ? "live-agent-handoff" : "call-ended",
                    transfer ? "The lead asked for a person." : _session.State.Outcome?.ToWire() ?? "ended",
                    reply,
                    cancellationToken);
                return;
            }

            quietSince = _time.GetUtcNow() + _options.Playout(reply);
        }
    }

    /// <summary>Stores what is left of the transcript and waits for the writes.</summary>
    public async ValueTask DisposeAsync()
    {
        FlushSpokenTurn();
        _turnWrites.Writer.TryComplete();
        await _turnWriter;
    }

    private async Task<TurnInput> NextInputAsync(DateTimeOffset silentAfter, CancellationToken cancellationToken)
    {
        if (_inputs.Reader.TryRead(out var ready))
        {
            return ready;
        }

        var wait = silentAfter - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return new Silence();
        }

        using var silence = new CancellationTokenSource(wait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        try
        {
            if (await _inputs.Reader.WaitToReadAsync(either.Token) && _inputs.Reader.TryRead(out var input))
            {
                return input;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing said within the silence timeout.
        }

        return _inputs.Reader.TryRead(out var late) ? late : new Silence();
    }

    private async Task<string> ReplyAsync(CallerSaid said, CancellationToken cancellationToken)
    {
        using var activity = ConversationRelayHandler.Source.StartActivity("agent turn");
        activity?.SetTag("leadgen.call.id", CallId.ToString());
        QueueTurn(CallSpeakers.Caller, said.Text, said.At, said.At);
        TrimHistoryToHeard();

        var generation = Volatile.Read(ref _replyGeneration);
        var stream = new TokenStream(this, generation, said.ReceivedTicks);
        AgentReply reply;
        try
        {
            reply = await _agent.ReplyAsync(_session, said.Text, stream.OnTextAsync, cancellationToken);
        }
        catch (GeminiRequestException exception)
        {
            _logger.LogError(exception, "Call {CallId}: the agent's engine failed; asking the caller to repeat", CallId);
            reply = new AgentReply(AgentScript.HoldingLine, [], null, "engine_failed");
        }

        foreach (var call in reply.ToolCalls)
        {
            var now = _time.GetUtcNow();
            QueueTurn(CallSpeakers.Tool, $"{call.Name} {JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)}", now, now);
        }

        if (reply.Usage is { } usage)
        {
            await _calls.AddTokenUsageAsync(CallId, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cancellationToken);
        }

        await stream.CompleteAsync(reply.Text, cancellationToken);
        activity?.SetTag("leadgen.call.tools", string.Join(",", reply.ToolCalls.Select(call => call.Name)));
        return reply.Text;
    }

    private async Task<string> OptOutAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Call {CallId}: caller pressed {Digit} to opt out", CallId, OptOutDigit);
        string note;
        try
        {
            await _store.MarkDoNotCallAsync(_session.Context, "caller pressed 9 during the call", cancellationToken);
            _session.State.DoNotCall = true;
            if (_session.State.Outcome is null)
            {
                await _store.EndAsync(_session.Context, ConversationOutcome.DoNotCall, "The lead pressed 9 to opt out.", cancellationToken);
                _session.State.Outcome = ConversationOutcome.DoNotCall;
            }

            note = "Caller pressed 9: opted out; number added to the do-not-call list.";
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The call still ends politely; the transcript says what must be done by hand.
            _logger.LogError(exception, "Call {CallId}: storing the keypad opt-out failed", CallId);
            _session.State.Outcome ??= ConversationOutcome.DoNotCall;
            note = "Caller pressed 9 to opt out, but storing it failed: add the number to the do-not-call list by hand.";
        }

        var now = _time.GetUtcNow();
        QueueTurn(CallSpeakers.System, note, now, now);
        return await SayAsync(_session.Script.OptOutConfirmation, cancellationToken);
    }

    /// <summary>A fixed line (not from the engine), spoken as one reply and kept in the model's history.</summary>
    private async Task<string> SayAsync(string line, CancellationToken cancellationToken)
    {
        TrimHistoryToHeard();
        _session.History.Add(new ChatMessage(ChatRole.Assistant, line));
        var stream = new TokenStream(this, Volatile.Read(ref _replyGeneration), null);
        await stream.CompleteAsync(line, cancellationToken);
        return line;
    }

    /// <summary>Gives the last words time to play, then ends the session; Twilio posts the handoff data to the action URL.</summary>
    private async Task EndAsync(string reasonCode, string reason, string lastWords, CancellationToken cancellationToken)
    {
        EndReason = reasonCode;
        await Task.Delay(_options.Playout(lastWords), _time, cancellationToken);
        var handoff = new JsonObject { ["reasonCode"] = reasonCode, ["reason"] = reason, ["callId"] = CallId.ToString() };
        _logger.LogInformation("Call {CallId}: ending the ConversationRelay session ({Reason})", CallId, reasonCode);
        await _send(new RelayEnd(handoff.ToJsonString()), cancellationToken);
    }

    private void OnInterrupt(string heard)
    {
        CallTurn? truncated = null;
        lock (_gate)
        {
            _replyGeneration++;
            if (_speaking is { } turn)
            {
                var text = heard.Trim();
                _heardOfLastReply = text;
                truncated = text.Length == 0 ? null : turn.ToCallTurn(CallId, text + " —", interrupted: true, _time.GetUtcNow());
                _speaking = null;
            }
        }

        _metrics.BargeIns.Add(1);
        if (truncated is not null)
        {
            _turnWrites.Writer.TryWrite(truncated);
        }
    }

    /// <summary>After a barge-in the model must not believe the caller heard its whole last reply.</summary>
    private void TrimHistoryToHeard()
    {
        string? heard;
        lock (_gate)
        {
            heard = _heardOfLastReply;
            _heardOfLastReply = null;
        }

        if (heard is null)
        {
            return;
        }

        for (var i = _session.History.Count - 1; i >= 0; i--)
        {
            var message = _session.History[i];
            if (message.Role == ChatRole.Assistant && message.Text.Length > 0)
            {
                var kept = message.Contents.Where(content => content is not TextContent).ToList();
                kept.Add(new TextContent(heard.Length == 0 ? "[interrupted before speaking]" : heard + " [interrupted by the caller]"));
                _session.History[i] = new ChatMessage(ChatRole.Assistant, kept);
                return;
            }
        }
    }

    private void FlushSpokenTurn()
    {
        CallTurn? done;
        lock (_gate)
        {
            done = _speaking is { } turn && turn.Text.Length > 0 ? turn.ToCallTurn(CallId, turn.Text.ToString().Trim(), interrupted: false, _time.GetUtcNow()) : null;
            _speaking = null;
        }

        if (done is not null)
        {
            _turnWrites.Writer.TryWrite(done);
        }
    }

    private void QueueTurn(string speaker, string text, DateTimeOffset startedAt, DateTimeOffset endedAt)
    {
        int sequence;
        lock (_gate)
        {
            sequence = _nextSequence++;
        }

        _turnWrites.Writer.TryWrite(new CallTurn { CallId = CallId, Seq = sequence, Speaker = speaker, Text = text, StartedAt = startedAt, EndedAt = endedAt });
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

    /// <summary>
    /// Streams one reply as text tokens: each piece is held until the next arrives so the final one can carry
    /// <c>last: true</c>. Once an interrupt has come (the generation moved on) nothing more of this reply is sent.
    /// </summary>
    private sealed class TokenStream(RelayConversation owner, int generation, long? callerDoneTicks)
    {
        private string? _held;
        private bool _started;

        public async ValueTask OnTextAsync(string piece, CancellationToken cancellationToken)
        {
            if (!Current)
            {
                return;
            }

            if (_held is not null)
            {
                await SendAsync(_held, last: false, cancellationToken);
            }

            _held = piece;
        }

        /// <summary>Sends the held piece as the last one (or the whole text when the engine streamed none).</summary>
        public async ValueTask CompleteAsync(string fullText, CancellationToken cancellationToken)
        {
            if (!Current)
            {
                return;
            }

            var last = _held ?? (_started ? string.Empty : fullText);
            _held = null;
            await SendAsync(last, last: true, cancellationToken);
        }

        private bool Current => Volatile.Read(ref owner._replyGeneration) == generation;

        private async ValueTask SendAsync(string token, bool last, CancellationToken cancellationToken)
        {
            if (!_started)
            {
                _started = true;
                owner.StartSpokenTurn();
                if (callerDoneTicks is { } ticks)
                {
                    var latency = Stopwatch.GetElapsedTime(ticks).TotalMilliseconds;
                    owner._metrics.TurnLatency.Record(latency);
                    lock (owner._gate)
                    {
                        owner._turnLatencies.Add(latency);
                    }
                }
            }

            owner.AppendSpoken(generation, token);
            await owner._send(new RelayText(token, last), cancellationToken);
        }
    }

    private void StartSpokenTurn()
    {
        FlushSpokenTurn();
        lock (_gate)
        {
            _speaking = new SpokenTurn(_nextSequence++, _time.GetUtcNow(), string.Empty) { Generation = _replyGeneration };
        }
    }

    private void AppendSpoken(int generation, string token)
    {
        lock (_gate)
        {
            if (_speaking is { } turn && turn.Generation == generation)
            {
                turn.Text.Append(token);
            }
        }
    }

    private sealed class SpokenTurn(int sequence, DateTimeOffset startedAt, string text)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public StringBuilder Text { get; } = new(text);

        public int Generation { get; init; }

        public CallTurn ToCallTurn(Guid callId, string text, bool interrupted, DateTimeOffset endedAt) => new()
        {
            CallId = callId,
            Seq = Sequence,
            Speaker = CallSpeakers.Agent,
            Text = text,
            StartedAt = StartedAt,
            EndedAt = endedAt,
            Interrupted = interrupted,
        };
    }

    private abstract record TurnInput;

    private sealed record CallerSaid(string Text, DateTimeOffset At, long ReceivedTicks) : TurnInput;

    private sealed record KeypadOptOut : TurnInput;

    private sealed record Silence : TurnInput;
}
