using System.Net;
using System.Net.Http.Headers;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Which Vertex AI failures are worth another attempt (429 quota, 500/503/504 transient) and how long to wait:
/// the server's Retry-After when it sends one, else exponential backoff with jitter; both capped.
/// </summary>
internal sealed class VertexRetryPolicy(GeminiOptions options)
{
    public int MaxAttempts { get; } = Math.Max(1, options.MaxAttempts);

    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public TimeSpan DelayBefore(int nextAttempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var serverDelay = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };

        var delay = serverDelay ?? Backoff(nextAttempt);
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    private TimeSpan Backoff(int nextAttempt)
    {
        // attempt 2 waits ~base, 3 ~2×base, 4 ~4×base; ±25 % jitter spreads instances that failed together.
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, nextAttempt - 2);
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(exponential * jitter);
    }
}
