namespace LeadGen.Core.Calls.Realtime;

/// <summary>
/// The engine has no capacity for another conversation right now (a shared rate limit is exhausted). The call is not
/// started in dead air: the runner has the transport say a short line, schedules a callback and slows the dialer.
/// </summary>
public sealed class RealtimeCapacityException : Exception
{
    public RealtimeCapacityException(string message, TimeSpan retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public RealtimeCapacityException()
    {
    }

    public RealtimeCapacityException(string message)
        : base(message)
    {
    }

    public RealtimeCapacityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>When the engine expects capacity again (the limiter's estimate).</summary>
    public TimeSpan RetryAfter { get; }
}
