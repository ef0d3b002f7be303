namespace LeadGen.Core.Queue;

/// <summary>Names of the job types. Each has its own Redis Stream and consumer group (see <see cref="QueueKeys"/>).</summary>
public static class JobTypes
{
    /// <summary>Picks eligible leads of one running campaign and enqueues <see cref="PlaceCall"/> jobs (paced).</summary>
    public const string Dialer = "dialer";

    /// <summary>Dials one call through the telephony provider.</summary>
    public const string PlaceCall = "place-call";

    /// <summary>Post-call analysis of one finished call through the agent's <c>ICallAnalyzer</c>.</summary>
    public const string AnalyzeCall = "analyze-call";

    /// <summary>Ends live calls that had no provider event past their status's bound (the call reaper).</summary>
    public const string ReapCalls = "reap-calls";

    /// <summary>Deletes recordings and transcripts past the configured retention.</summary>
    public const string Retention = "retention";

    /// <summary>
    /// True for the jobs <see cref="RecurringJobScheduler"/> enqueues on a timer. A tick is not an operation anyone
    /// asked for: it is traced only through the work it starts (see <see cref="JobTraceContext"/>).
    /// </summary>
    public static bool IsPeriodic(string jobType) => jobType is Dialer or Retention or ReapCalls;

    /// <summary>True when <paramref name="jobType"/> is a valid stream name part (lower-case letters, digits, dashes).</summary>
    public static bool IsValidName(string jobType) =>
        !string.IsNullOrEmpty(jobType)
        && jobType.Length <= 63
        && jobType[0] is >= 'a' and <= 'z'
        && jobType.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
