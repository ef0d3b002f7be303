namespace LeadGen.Core.Dialer;

/// <summary>
/// Settings of the call reaper (configuration section <c>CallReaper</c>): how long a call may stay in each live status
/// without any event (status callback, answering-machine result, transcript turn) before the reaper ends it.
/// </summary>
public sealed class CallReaperOptions
{
    public const string SectionName = "CallReaper";

    /// <summary>How often a reaper job is scheduled.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Queued and never claimed by a place-call job (the job is lost or the Worker is down that long).</summary>
    public TimeSpan Queued { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Claimed/dialled without a ringing or answer event (Twilio reports ringing within seconds).</summary>
    public TimeSpan Initiated { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Ringing without an answer or final event (Twilio stops ringing after 60 s by default).</summary>
    public TimeSpan Ringing { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>In progress with no event and no transcript turn (no media reaching the agent).</summary>
    public TimeSpan InProgress { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Calls one reaper run handles at most (each may cost one provider request).</summary>
    public int BatchSize { get; set; } = 50;

    internal IReadOnlyDictionary<string, TimeSpan> Bounds() => new Dictionary<string, TimeSpan>
    {
        [Calls.CallStatuses.Queued] = Queued,
        [Calls.CallStatuses.Initiated] = Initiated,
        [Calls.CallStatuses.Ringing] = Ringing,
        [Calls.CallStatuses.InProgress] = InProgress,
    };
}
