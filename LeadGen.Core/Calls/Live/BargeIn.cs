namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Decides when the person talking over the agent is a barge-in. The engine usually says so itself (its own voice
/// detection); this catches the case it does not: caller speech lasting <see cref="LocalThreshold"/> over agent audio
/// not yet heard. After such a local barge-in the rest of the engine's interrupted turn is dropped until it ends.
/// Not thread-safe: the call coordinator serialises access.
/// </summary>
public sealed class BargeIn
{
    /// <summary>Caller speech this long over unheard agent audio is a barge-in even if the engine did not say so.</summary>
    public static readonly TimeSpan LocalThreshold = TimeSpan.FromMilliseconds(300);

    private double _voicedMs;

    /// <summary>True while the remainder of a locally interrupted agent turn is being dropped.</summary>
    public bool DroppingAgentTurn { get; private set; }

    /// <returns>True exactly once per stretch of speech: when it crosses the threshold over unheard agent audio.</returns>
    public bool OnCallerAudio(bool voiced, double milliseconds, bool agentAudioUnheard)
    {
        if (!voiced)
        {
            _voicedMs = 0;
            return false;
        }

        var before = _voicedMs;
        _voicedMs += milliseconds;
        var threshold = LocalThreshold.TotalMilliseconds;
        return before < threshold && _voicedMs >= threshold && agentAudioUnheard;
    }

    /// <summary>The agent's turn was cut. A local cut while the engine is still generating drops the rest of that turn.</summary>
    public void AgentInterrupted(bool byEngine, bool engineFinishedTurn)
    {
        DroppingAgentTurn = !byEngine && !engineFinishedTurn;
    }

    /// <summary>The engine interrupted itself with no agent turn in progress: nothing left to drop.</summary>
    public void EngineInterruptedNothing() => DroppingAgentTurn = false;

    /// <summary>The engine ended a turn.</summary>
    /// <returns>True when that was the dropped turn (so it is not played out).</returns>
    public bool EngineTurnEnded()
    {
        var dropped = DroppingAgentTurn;
        DroppingAgentTurn = false;
        return dropped;
    }
}
