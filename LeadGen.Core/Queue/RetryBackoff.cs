namespace LeadGen.Core.Queue;

/// <summary>
/// Exponential backoff with jitter: the n-th retry waits a random time between half and all of
/// <c>min(base · 2^(n-1), max)</c>, so jobs that failed together (an outage) do not all come back together.
/// </summary>
public sealed class RetryBackoff(QueueOptions options, Random random)
{
    public RetryBackoff(QueueOptions options)
        : this(options, Random.Shared)
    {
    }

    /// <param name="failedAttempts">Attempts failed so far (≥ 1).</param>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ceiling = Math.Min(options.BaseBackoff.TotalMilliseconds * Math.Pow(2, exponent), options.MaxBackoff.TotalMilliseconds);
        var jittered = (ceiling / 2) + (random.NextDouble() * ceiling / 2);
        return TimeSpan.FromMilliseconds(jittered);
    }
}
