using LeadGen.Core.Queue;

namespace LeadGen.Queue.Tests;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Delays_double_per_attempt_within_jitter_bounds_and_stop_at_the_cap()
    {
        var options = new QueueOptions { BaseBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(10) };
        var backoff = new RetryBackoff(options, new Random(42));

        for (var sample = 0; sample < 200; sample++)
        {
            for (var attempt = 1; attempt <= 8; attempt++)
            {
                var ceiling = Math.Min(Math.Pow(2, attempt - 1), 10);
                var delay = backoff.DelayAfter(attempt).TotalSeconds;
                Assert.InRange(delay, ceiling / 2, ceiling);
            }
        }
    }

    [Fact]
    public void Jitter_spreads_jobs_that_failed_together()
    {
        var backoff = new RetryBackoff(new QueueOptions { BaseBackoff = TimeSpan.FromSeconds(4) }, new Random(7));

        var delays = Enumerable.Range(0, 50).Select(_ => backoff.DelayAfter(3)).Distinct().Count();

        Assert.True(delays > 40, $"only {delays} distinct delays out of 50");
    }
}
