using System.Globalization;

namespace LeadGen.Canary;

/// <summary>Limits a canary must stay within. Defaults are the seed's alert thresholds: error rate 5 %, p99 5 s.</summary>
internal sealed record CanaryThresholds(double MaxErrorRate, double MaxP99Milliseconds, double MinRequests);

/// <summary>The canary's figures over the window and whether they breach the thresholds.</summary>
internal sealed record CanaryVerdict(bool Healthy, long Requests, long ServerErrors, double ErrorRate, double? P99Milliseconds, string Reason)
{
    /// <summary>
    /// Error rate = 5xx / all requests. WebSocket upgrades (class 1xx: media streams that last a whole call) are left out
    /// of both the request count and the latency, because their "latency" is the call's duration.
    /// </summary>
    public static CanaryVerdict Judge(IReadOnlyList<MetricGroup> counts, IReadOnlyList<MetricGroup> latencies, CanaryThresholds limits)
    {
        var requests = (long)counts.Where(g => g.ResponseCodeClass != "1xx").Sum(g => g.Values.Sum());
        var errors = (long)counts.Where(g => g.ResponseCodeClass == "5xx").Sum(g => g.Values.Sum());
        var errorRate = requests == 0 ? 0 : (double)errors / requests;
        var p99Values = latencies.Where(g => g.ResponseCodeClass != "1xx").SelectMany(g => g.Values).ToList();
        double? p99 = p99Values.Count == 0 ? null : p99Values.Max();

        var inv = CultureInfo.InvariantCulture;
        if (requests < limits.MinRequests)
        {
            return new(false, requests, errors, errorRate, p99, string.Format(inv, "only {0} requests reached the canary (minimum {1})", requests, limits.MinRequests));
        }

        if (errorRate > limits.MaxErrorRate)
        {
            return new(false, requests, errors, errorRate, p99, string.Format(inv, "error rate {0:P2} exceeds {1:P2}", errorRate, limits.MaxErrorRate));
        }

        if (p99 > limits.MaxP99Milliseconds)
        {
            return new(false, requests, errors, errorRate, p99, string.Format(inv, "p99 latency {0:0} ms exceeds {1:0} ms", p99, limits.MaxP99Milliseconds));
        }

        var reason = requests == 0 ? "no requests reached the canary in the window (nothing to judge; passing)" : "within limits";
        return new(true, requests, errors, errorRate, p99, reason);
    }

    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0}: requests={1} 5xx={2} error_rate={3:0.0000} p99_ms={4} ({5})",
        Healthy ? "HEALTHY" : "BREACH",
        Requests,
        ServerErrors,
        ErrorRate,
        P99Milliseconds is { } p ? p.ToString("0", CultureInfo.InvariantCulture) : "n/a",
        Reason);
}
