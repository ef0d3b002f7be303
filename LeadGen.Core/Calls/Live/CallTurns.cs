namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The state of one call's turns, safe to touch from the caller side and the engine side at once: the
/// <see cref="HeardTranscript"/> and <see cref="BargeIn"/> under one lock, plus when the caller last spoke (for the turn
/// latency). The coordinator asks it what to do and does the awaiting; nothing here waits.
/// </summary>
public sealed class CallTurns(Guid callId, TimeProvider time, Action<CallTurn> store)
{
    private readonly Lock _gate = new();
    private readonly HeardTranscript _transcript = new(callId, time, store);
    private readonly BargeIn _bargeIn = new();
    private bool _callerSpokeSinceAgent;

    /// <param name="agentAudioUnheard">Whether agent audio was still playing (read under the same lock, once per frame).</param>
    /// <returns>True when this piece of caller audio is a barge-in over agent audio not yet heard.</returns>
    public bool CallerAudio(bool voiced, double milliseconds, out bool agentAudioUnheard)
    {
        lock (_gate)
        {
            if (voiced)
            {
                CallerSpoke();
            }

            agentAudioUnheard = _transcript.AgentAudioUnheard;
            return _bargeIn.OnCallerAudio(voiced, milliseconds, agentAudioUnheard);
        }
    }

    /// <summary>One whole caller utterance from a text transport.</summary>
    public void CallerText(string text)
    {
        lock (_gate)
        {
            CallerSpoke();
            _transcript.CallerSaid(text);
        }
    }

    /// <summary>An audio engine's transcription of the caller.</summary>
    public void CallerTranscript(string text)
    {
        lock (_gate)
        {
            _transcript.CallerSaid(text);
        }
    }

    /// <summary>An audio engine's transcription of itself (dropped with the rest of a locally interrupted turn).</summary>
    public void AgentTranscript(string text)
    {
        lock (_gate)
        {
            if (!_bargeIn.DroppingAgentTurn)
            {
                _transcript.AgentSaid(text);
            }
        }
    }

    /// <summary>The transport has already spoken the opening line: it is the first agent turn, ended.</summary>
    /// <returns>Its sequence number.</returns>
    public int Greeting(string text)
    {
        lock (_gate)
        {
            var turn = _transcript.StartAgentTurnIfNeeded();
            turn.Text.Append(text);
            turn.EndRequested = true;
            return turn.Sequence;
        }
    }

    /// <summary>Books agent output (<paramref name="audioMs"/> of audio, or <paramref name="text"/>, a piece of a text reply).</summary>
    /// <returns>The turn it belongs to and, for a turn's first output after the caller spoke, the turn latency; null to drop it.</returns>
    public (int Turn, double? LatencyMs)? AgentOutput(int audioMs, string? text)
    {
        lock (_gate)
        {
            if (_bargeIn.DroppingAgentTurn)
            {
                return null;
            }

            var turn = _transcript.StartAgentTurnIfNeeded(newReply: text is not null);
            var first = text is null ? turn.SentMs == 0 : turn.Text.Length == 0;
            double? latency = first && _callerSpokeSinceAgent && _transcript.LastCallerVoiceAt is { } lastVoice
                ? (time.GetUtcNow() - lastVoice).TotalMilliseconds
                : null;
            _callerSpokeSinceAgent = false;
            turn.SentMs += audioMs;
            turn.Text.Append(text);
            return (turn.Sequence, latency);
        }
    }

    /// <summary>The engine finished its turn.</summary>
    /// <returns>The turn the transport should play out, or null (none, already asked, or the dropped rest of a cut turn).</returns>
    public int? CompleteAgentTurn()
    {
        lock (_gate)
        {
            if (_bargeIn.EngineTurnEnded() || _transcript.CurrentAgentTurn is not { EndRequested: false } turn)
            {
                return null;
            }

            turn.EndRequested = true;
            return turn.Sequence;
        }
    }

    /// <summary>Cuts the agent's turn short (by the engine, or locally/by the transport with <paramref name="heardText"/>).</summary>
    /// <returns>True when a turn was cut.</returns>
    public bool InterruptAgent(bool byEngine, string? heardText)
    {
        lock (_gate)
        {
            if (_transcript.InterruptAgent(heardText) is not { } cut)
            {
                if (byEngine)
                {
                    _bargeIn.EngineInterruptedNothing();
                }

                return false;
            }

            _bargeIn.AgentInterrupted(byEngine, engineFinishedTurn: cut.EndRequested);
            return true;
        }
    }

    /// <summary>Agent audio was sent that the caller has not been heard hearing yet.</summary>
    public bool AgentAudioUnheard
    {
        get
        {
            lock (_gate)
            {
                return _transcript.AgentAudioUnheard;
            }
        }
    }

    /// <returns>True when this finished the agent's turn (all of it heard).</returns>
    public bool AgentPlayed(int turn, int playedMs, bool complete)
    {
        lock (_gate)
        {
            return _transcript.AgentAudioPlayed(turn, playedMs, complete);
        }
    }

    public void System(string note)
    {
        lock (_gate)
        {
            _transcript.System(note);
        }
    }

    public void Tools(IEnumerable<string> notes)
    {
        lock (_gate)
        {
            foreach (var note in notes)
            {
                _transcript.Tool(note);
            }
        }
    }

    /// <summary>Tokens the engine reported for its latest reply (see <see cref="HeardTranscript.AgentUsage"/>).</summary>
    public void AgentUsage(long inputTokens, long outputTokens)
    {
        lock (_gate)
        {
            _transcript.AgentUsage(inputTokens, outputTokens);
        }
    }

    /// <summary>The agent turn whose hearing lets a call action go ahead.</summary>
    /// <param name="agentAsked">
    /// The agent asked (a tool): the words it is saying or has not been heard saying yet, else its next. The call asked
    /// (keypad, silence): the agent's next words only, which answer that.
    /// </param>
    public int GoodbyeTurn(bool agentAsked)
    {
        lock (_gate)
        {
            return agentAsked && _transcript.CurrentAgentTurn is { } turn ? turn.Sequence : _transcript.NextSequence;
        }
    }

    /// <summary>End of the call: what is left is stored as far as it was heard.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _transcript.Close();
        }
    }

    private void CallerSpoke()
    {
        _transcript.LastCallerVoiceAt = time.GetUtcNow();
        _callerSpokeSinceAgent = true;
    }
}
