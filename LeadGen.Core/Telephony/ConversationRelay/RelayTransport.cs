using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Twilio ConversationRelay as a call transport that carries text: the caller's final <c>prompt</c>s are their words,
/// the agent's words go out as streamed <c>text</c> tokens (each piece held until the next, so the last carries
/// <c>last: true</c>), an <c>interrupt</c> says what the caller heard, <c>dtmf</c> is a key, and hang-up or transfer end
/// the session with <c>end</c> + handoffData (the &lt;Connect action&gt; webhook then hangs up or dials). Twilio speaks the
/// TwiML's welcome greeting itself. There are no playback marks in this protocol, so a turn counts as heard when the
/// caller answers it, or once its words have had time to play at <see cref="ConversationRelayOptions.WordsPerMinute"/>
/// (replies play one after another).
/// </summary>
public sealed class RelayTransport(RelaySocket socket, Guid callId, string greeting, ConversationRelayOptions options, CallMetrics metrics, TimeProvider time, ILogger logger)
    : ICallTransport, IDisposable
{
    /// <summary>How long Twilio gets to close the socket after the call ended from our side.</summary>
    public static readonly TimeSpan CloseAfterEnd = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly StringBuilder _turnText = new();
    private readonly TaskCompletionSource<ICallTransportEvents> _events = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _textTurn = -1;
    private string? _held;
    private bool _greetingPlayed;
    private DateTimeOffset _playedUntil;
    private int? _playing; // the turn whose play-out is being timed

    public bool CanTransfer => true;

    public bool CarriesText => true;

    public string? SpokenGreeting => greeting;

    public TimeSpan? SilenceTimeout => options.SilenceTimeout;

    public void UseEngineAudio(EngineAudioFormat format) => throw new NotSupportedException("ConversationRelay carries text, not audio.");

    /// <summary>
    /// Reads Twilio's messages until it closes the socket. When the call ends from our side the socket is read (and
    /// ignored) for up to <see cref="CloseAfterEnd"/> more, for Twilio to act on <c>end</c> and close: cancelling a
    /// pending receive would abort the connection and could lose the <c>end</c> in flight.
    /// </summary>
    public async Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken)
    {
        _events.TrySetResult(events);
        using var reading = new CancellationTokenSource();
        await using var ending = cancellationToken.Register(() => reading.CancelAfter(CloseAfterEnd));
        try
        {
            while (await socket.ReceiveAsync(reading.Token) is { } message)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    await OnMessageAsync(events, message, cancellationToken);
                }
            }

            if (socket.Dropped)
            {
                logger.LogInformation("Call {CallId}: ConversationRelay socket dropped without a close frame", callId);
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
            logger.LogDebug("Call {CallId}: Twilio did not close the ConversationRelay socket within {Grace}", callId, CloseAfterEnd);
        }
    }

    public ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) =>
        throw new NotSupportedException("ConversationRelay carries text, not audio.");

    public async ValueTask SendAgentTextAsync(int turn, string text, CancellationToken cancellationToken)
    {
        string? send;
        lock (_gate)
        {
            if (turn != _textTurn)
            {
                _textTurn = turn;
                _turnText.Clear();
                _held = null; // the unsent rest of a turn cut short
            }

            _turnText.Append(text);
            send = _held;
            _held = text;
        }

        if (send is not null)
        {
            await socket.SendAsync(new RelayText(send, Last: false), cancellationToken);
        }
    }

    public async ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken)
    {
        string? last = null;
        string spoken;
        lock (_gate)
        {
            if (turn == _textTurn)
            {
                (last, _held) = (_held, null);
                spoken = _turnText.ToString();
            }
            else
            {
                spoken = _greetingPlayed ? string.Empty : greeting; // nothing was sent for it: Twilio's own welcome greeting
            }

            _greetingPlayed = true;
        }

        if (last is not null)
        {
            await socket.SendAsync(new RelayText(last, Last: true), cancellationToken);
        }

        TimePlayout(turn, spoken);
    }

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask; // Twilio stops speaking on its own interrupt

    public async ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken)
    {
        var (code, reason) = intent switch
        {
            TransferToHuman => (ConversationRelayWebhooks.HumanHandoff, "The lead asked for a person."),
            HangUp { Reason: { } why } => (why, $"The agent ended the call ({why})."),
            _ => ("call-ended", "The agent ended the call."),
        };
        var handoff = new JsonObject { [ConversationRelayWebhooks.HandoffReasonCode] = code, ["reason"] = reason, ["callId"] = callId.ToString() };
        logger.LogInformation("Call {CallId}: ending the ConversationRelay session ({Reason})", callId, code);
        await socket.SendAsync(new RelayEnd(handoff.ToJsonString()), cancellationToken);
    }

    public async ValueTask CloseAsync(CallCloseReason reason)
    {
        if (!_closed.IsCancellationRequested)
        {
            await _closed.CancelAsync();
        }

        await socket.CloseQuietlyAsync(
            reason == CallCloseReason.Ended ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.InternalServerError,
            reason == CallCloseReason.Ended ? "call ended" : "agent unavailable");
    }

    public void Dispose() => _closed.Dispose();

    private async ValueTask OnMessageAsync(ICallTransportEvents events, RelayMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case RelayPrompt { Last: true } prompt when prompt.VoicePrompt.Trim().Length > 0:
                if (StopPlayout() is { } answered)
                {
                    await events.OnAgentAudioPlayedAsync(answered, 0, turnComplete: true, cancellationToken); // the caller answered it
                }

                await events.OnCallerTextAsync(prompt.VoicePrompt.Trim(), cancellationToken);
                break;
            case RelayPrompt:
                break; // partial transcripts (partialPrompts) and empty finals: the final one carries the whole utterance
            case RelayInterrupt interrupt:
                StopPlayout();
                await events.OnCallerInterruptedAsync(interrupt.UtteranceUntilInterrupt, cancellationToken);
                break;
            case RelayDtmf dtmf:
                await events.OnKeyPressedAsync(dtmf.Digit, cancellationToken);
                break;
            case RelayError error:
                logger.LogWarning("Call {CallId}: ConversationRelay reported an error: {Description}", callId, error.Description);
                break;
            case RelayMalformed malformed:
                metrics.MalformedFrames.Add(1);
                logger.LogDebug("Call {CallId}: skipped a malformed ConversationRelay message: {Reason}", callId, malformed.Reason);
                break;
            default:
                metrics.MalformedFrames.Add(1); // setup again, or one of our own message types: out of place
                break;
        }
    }

    /// <summary>Reports <paramref name="turn"/> heard once its words have had time to play after what plays before it.</summary>
    private void TimePlayout(int turn, string words)
    {
        TimeSpan due;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _playedUntil = (_playedUntil > now ? _playedUntil : now) + options.Playout(words);
            _playing = turn;
            due = _playedUntil - now;
        }

        _ = ReportPlayedAsync(turn, due);
    }

    /// <returns>The turn whose play-out was being timed, if any (the caller answered or interrupted it).</returns>
    private int? StopPlayout()
    {
        lock (_gate)
        {
            var playing = _playing;
            _playing = null;
            _playedUntil = time.GetUtcNow();
            return playing;
        }
    }

    private async Task ReportPlayedAsync(int turn, TimeSpan due)
    {
        try
        {
            await Task.Delay(due, time, _closed.Token);
            lock (_gate)
            {
                if (_playing != turn)
                {
                    return; // answered, interrupted or followed by another turn meanwhile
                }

                _playing = null;
            }

            var events = await _events.Task.WaitAsync(_closed.Token);
            await events.OnAgentAudioPlayedAsync(turn, 0, turnComplete: true, _closed.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
            // The call ended meanwhile.
        }
    }
}
