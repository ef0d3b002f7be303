using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// Decides when to move to a new connection after <c>goAway</c>. The old connection keeps working until its
/// <c>timeLeft</c> runs out, so moving at once would throw away the reply being generated on it (and the caller's
/// words the model has not turned into a turn yet). The move waits for a turn boundary with a resumption handle issued
/// after it, so the resumed session has the whole conversation. If the server closes first, the reader's
/// closed-connection path reconnects anyway.
/// </summary>
internal sealed class GoAwayHandover
{
    private bool _goAwayPending;
    private bool _turnInProgress;
    private bool _handleIsCurrent;

    public bool ShouldMoveAfter(ServerMessage message)
    {
        foreach (var item in message.Events)
        {
            switch (item)
            {
                case AgentTurnComplete or AgentInterrupted:
                    _turnInProgress = false;
                    break;
                case AgentAudio or AgentTranscript or CallerTranscript or ToolCallsRequested:
                    _turnInProgress = true;
                    _handleIsCurrent = false;
                    break;
            }
        }

        if (message.ResumptionHandle is not null && !_turnInProgress)
        {
            _handleIsCurrent = true;
        }

        _goAwayPending |= message.GoAway;
        if (!_goAwayPending || _turnInProgress || !_handleIsCurrent)
        {
            return false;
        }

        _goAwayPending = false;
        return true;
    }
}
