using System.Text;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The call's transcript as the person heard it. Caller text accumulates into one turn until the agent speaks; agent
/// text and audio accumulate into the agent's turn, and when a turn is cut short only the share of its words matching
/// the share of its audio that was played is kept. Finished turns go to <paramref name="store"/> in sequence order.
/// Not thread-safe: the call coordinator serialises access.
/// </summary>
public sealed class HeardTranscript(Guid callId, TimeProvider time, Action<CallTurn> store)
{
    private int _nextSequence;
    private AgentTurn? _agent;
    private CallerTurn? _caller;

    /// <summary>The agent's turn being spoken, if any.</summary>
    public AgentTurn? CurrentAgentTurn => _agent is { Finished: false } turn ? turn : null;

    /// <summary>Agent audio has been sent that the person has not heard yet (so speech over it is a barge-in).</summary>
    public bool AgentAudioUnheard => CurrentAgentTurn is { } turn && turn.SentMs > turn.HeardMs;

    /// <summary>The sequence number the next turn will get.</summary>
    public int NextSequence => _nextSequence;

    /// <summary>When the caller last made a sound (the end of their turn).</summary>
    public DateTimeOffset? LastCallerVoiceAt { get; set; }

    public void CallerSaid(string text)
    {
        _caller ??= new CallerTurn(_nextSequence++, time.GetUtcNow());
        _caller.Text.Append(text);
    }

    public void AgentSaid(string text) => StartAgentTurnIfNeeded().Text.Append(text);

    /// <summary>The agent's current turn, starting one (and closing the caller's) if none is being spoken.</summary>
    /// <param name="newReply">
    /// Words of a text reply: when the current turn has ended already, they start a new one and the ended turn is stored
    /// whole (the far side plays replies in order and reports no playback of its own).
    /// </param>
    public AgentTurn StartAgentTurnIfNeeded(bool newReply = false)
    {
        if (CurrentAgentTurn is { } current)
        {
            if (!newReply || !current.EndRequested)
            {
                return current;
            }

            Finish(current, interrupted: false);
        }

        FlushCallerTurn();
        _agent = new AgentTurn(_nextSequence++, time.GetUtcNow());
        return _agent;
    }

    /// <summary>The transport played <paramref name="playedMs"/> of agent turn <paramref name="sequence"/>; a complete turn is stored whole.</summary>
    /// <returns>True when this finished the agent's turn.</returns>
    public bool AgentAudioPlayed(int sequence, int playedMs, bool complete)
    {
        if (CurrentAgentTurn is not { } turn || turn.Sequence != sequence)
        {
            return false; // a late report for a turn already cut short
        }

        turn.HeardMs = Math.Max(turn.HeardMs, playedMs);
        if (complete)
        {
            Finish(turn, interrupted: false);
        }

        return complete;
    }

    /// <summary>Cuts the agent's turn short: only what was heard is stored.</summary>
    /// <param name="heardText">What the far side says was played (ConversationRelay); null: the share of the words by audio time.</param>
    /// <returns>The turn that was cut, or null when the agent was not speaking.</returns>
    public AgentTurn? InterruptAgent(string? heardText = null)
    {
        if (CurrentAgentTurn is not { } turn)
        {
            return null;
        }

        Finish(turn, interrupted: true, heardText);
        return turn;
    }

    /// <summary>
    /// The engine reported the tokens generating its latest reply used: they belong to the latest agent turn. Booked on it
    /// while it is spoken; when it has already been heard out and stored, it is stored again with them (same sequence:
    /// the store replaces it). A reply nobody heard any of is not stored, so neither are its tokens (the call's totals
    /// keep them).
    /// </summary>
    public void AgentUsage(long inputTokens, long outputTokens)
    {
        if (_agent is not { } turn)
        {
            return;
        }

        turn.InputTokens += inputTokens;
        turn.OutputTokens += outputTokens;
        if (turn.Finished && turn.Stored is { } stored)
        {
            turn.Stored = stored with { InputTokens = turn.InputTokens, OutputTokens = turn.OutputTokens };
            store(turn.Stored);
        }
    }

    /// <summary>A note from our side (keypad opt-out), stored at once with the next sequence number.</summary>
    public void System(string text) => Note(CallSpeakers.System, text);

    /// <summary>A tool the agent ran and what came back.</summary>
    public void Tool(string text) => Note(CallSpeakers.Tool, text);

    /// <summary>End of the call: the agent's unfinished turn is stored as far as it was heard, then the caller's.</summary>
    public void Close()
    {
        if (CurrentAgentTurn is { } turn)
        {
            Finish(turn, interrupted: turn.HeardMs < turn.SentMs);
        }

        FlushCallerTurn();
    }

    /// <summary>The share of the words matching the share of the audio the person heard (speech rate assumed even).</summary>
    public static string HeardPart(string text, int heardMs, int sentMs)
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

    private void Note(string speaker, string text)
    {
        var now = time.GetUtcNow();
        store(new CallTurn { CallId = callId, Seq = _nextSequence++, Speaker = speaker, Text = text, StartedAt = now, EndedAt = now });
    }

    private void Finish(AgentTurn turn, bool interrupted, string? heardText = null)
    {
        turn.Finished = true;
        var text = turn.Text.ToString().Trim();
        var heard = !interrupted ? text
            : heardText is null ? HeardPart(text, turn.HeardMs, turn.SentMs)
            : heardText.Trim() is { Length: > 0 } said ? said + " —" : string.Empty;
        if (heard.Length == 0)
        {
            return; // nothing of it reached the person
        }

        turn.Stored = new CallTurn
        {
            CallId = callId,
            Seq = turn.Sequence,
            Speaker = CallSpeakers.Agent,
            Text = heard,
            StartedAt = turn.StartedAt,
            EndedAt = time.GetUtcNow(),
            Interrupted = interrupted,
            InputTokens = turn.InputTokens > 0 || turn.OutputTokens > 0 ? turn.InputTokens : null,
            OutputTokens = turn.InputTokens > 0 || turn.OutputTokens > 0 ? turn.OutputTokens : null,
        };
        store(turn.Stored);
    }

    private void FlushCallerTurn()
    {
        if (_caller is { } caller && caller.Text.Length > 0)
        {
            store(new CallTurn
            {
                CallId = callId,
                Seq = caller.Sequence,
                Speaker = CallSpeakers.Caller,
                Text = caller.Text.ToString().Trim(),
                StartedAt = caller.StartedAt,
                EndedAt = LastCallerVoiceAt is { } last && last > caller.StartedAt ? last : time.GetUtcNow(),
            });
        }

        _caller = null;
    }

    public sealed class AgentTurn(int sequence, DateTimeOffset startedAt)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public StringBuilder Text { get; } = new();

        /// <summary>Audio handed to the transport for this turn.</summary>
        public int SentMs { get; set; }

        /// <summary>Audio the transport reported played.</summary>
        public int HeardMs { get; set; }

        /// <summary>The engine finished the turn and the transport was told to play it out.</summary>
        public bool EndRequested { get; set; }

        public bool Finished { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        /// <summary>What was stored when it finished (null: nothing of it was heard).</summary>
        public CallTurn? Stored { get; set; }
    }

    private sealed class CallerTurn(int sequence, DateTimeOffset startedAt)
    {
        public int Sequence { get; } = sequence;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public StringBuilder Text { get; } = new();
    }
}
