namespace LeadGen.Core.Calls;

/// <summary>
/// How long the agent took to answer, per agent turn, from the stored transcript: from the end of the lead's turn
/// (its last voiced audio on a live call; when the message arrived in a text conversation) to the start of the agent's
/// answer (its first audio or words reaching the server). That is the server's and the model's share of the wait the
/// lead heard; the network to the phone and the playback buffer come on top. Agent turns that answer no lead turn
/// (the opening, a follow-up after a tool) have none.
/// </summary>
public static class TurnLatencies
{
    public static IReadOnlyList<TurnLatency> Of(IReadOnlyList<CallTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var latencies = new List<TurnLatency>();
        CallTurn? lastCaller = null;
        foreach (var turn in turns.OrderBy(turn => turn.Seq))
        {
            if (turn.Speaker == CallSpeakers.Caller)
            {
                lastCaller = turn;
            }
            else if (turn.Speaker == CallSpeakers.Agent)
            {
                if (lastCaller is not null)
                {
                    var wait = turn.StartedAt - (lastCaller.EndedAt ?? lastCaller.StartedAt);
                    latencies.Add(new TurnLatency(turn.Seq, lastCaller.Seq, Math.Max(0, Math.Round(wait.TotalMilliseconds))));
                }

                lastCaller = null;
            }
        }

        return latencies;
    }

    /// <summary>The <paramref name="percentile"/> (0–100, nearest rank) of the latencies, or null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<TurnLatency> latencies, double percentile)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        if (latencies.Count == 0)
        {
            return null;
        }

        var sorted = latencies.Select(latency => latency.Milliseconds).Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <param name="AgentSeq">The agent turn's sequence number.</param>
/// <param name="CallerSeq">The lead's turn it answered.</param>
public sealed record TurnLatency(int AgentSeq, int CallerSeq, double Milliseconds);
