namespace LeadGen.Pipeline.Tests;

/// <summary><c>LeadGen.Canary check</c> (run between the 10 % / 50 % / 100 % steps) against a fake Cloud Monitoring API.</summary>
public sealed class CanaryCheckTests
{
    private const string RequestCount = "run.googleapis.com/request_count";
    private const string Latency = "run.googleapis.com/request_latencies";

    [Fact]
    public async Task A_canary_within_the_seed_thresholds_passes_and_websocket_calls_are_left_out()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((metric, _) => metric switch
        {
            RequestCount => (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Count(960)), ("4xx", FakeCloudMonitoring.Count(20)), ("5xx", FakeCloudMonitoring.Count(20)), ("1xx", FakeCloudMonitoring.Count(50))])),
            // A media-stream WebSocket "request" lasts the whole call: its latency must not count.
            Latency => (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Milliseconds(812.5)), ("1xx", FakeCloudMonitoring.Milliseconds(180000))])),
            _ => (400, "{}"),
        });

        var result = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("HEALTHY: requests=1000 5xx=20 error_rate=0.0200 p99_ms=813 (within limits)", result.StandardOutput, StringComparison.Ordinal);
        var requests = monitoring.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, q =>
        {
            Assert.Contains("resource.labels.revision_name = \"voiceapi-abc1234-7\"", q["filter"].ToString(), StringComparison.Ordinal);
            Assert.Contains("resource.labels.service_name = \"voiceapi\"", q["filter"].ToString(), StringComparison.Ordinal);
            Assert.Equal("300s", q["aggregation.alignmentPeriod"].ToString());
            Assert.Equal("metric.labels.response_code_class", q["aggregation.groupByFields"].ToString());
        });
        Assert.Equal("REDUCE_SUM", requests[0]["aggregation.crossSeriesReducer"].ToString());
        Assert.Equal("REDUCE_PERCENTILE_99", requests[1]["aggregation.crossSeriesReducer"].ToString());
    }

    [Fact]
    public async Task An_error_rate_above_5_percent_is_a_breach()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((metric, _) => metric == RequestCount
            ? (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Count(920)), ("5xx", FakeCloudMonitoring.Count(80))]))
            : (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Milliseconds(300))])));

        var result = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BREACH: requests=1000 5xx=80 error_rate=0.0800", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("error rate 8.00 % exceeds 5.00 %", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_p99_latency_above_5_seconds_is_a_breach()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((metric, _) => metric == RequestCount
            ? (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Count(500))]))
            : (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Milliseconds(6200))])));

        var result = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("p99 latency 6200 ms exceeds 5000 ms", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_of_the_answer_is_counted()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((metric, page) => (metric, page) switch
        {
            (RequestCount, null) => (200, FakeCloudMonitoring.Page([("2xx", FakeCloudMonitoring.Count(100))], nextPageToken: "page-2")),
            (RequestCount, "page-2") => (200, FakeCloudMonitoring.Page([("5xx", FakeCloudMonitoring.Count(10))])),
            _ => (200, "{\"unit\":\"ms\"}"),
        });

        var result = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token);

        Assert.Equal(1, result.ExitCode); // 10 of 110 = 9.1 %
        Assert.Contains("requests=110 5xx=10", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("p99_ms=n/a", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_traffic_passes_unless_a_minimum_is_required()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((_, _) => (200, "{\"unit\":\"1\"}"));

        var lenient = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token);
        var strict = await RunCheckAsync(monitoring.Endpoint, FakeCloudMonitoring.Token, "--min-requests", "20");

        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("no requests reached the canary", lenient.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("only 0 requests reached the canary (minimum 20)", strict.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_error_exits_2_with_googles_message_so_the_rollout_rolls_back()
    {
        await using var monitoring = await FakeCloudMonitoring.StartAsync((_, _) => (200, "{}"));

        var result = await RunCheckAsync(monitoring.Endpoint, "expired-token");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cloud Monitoring answered 401 for run.googleapis.com/request_count: Request had invalid authentication credentials.", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_token_is_a_usage_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await ToolProcess.RunDotnetAsync(
            ToolProcess.BuiltAssembly("tools/LeadGen.Canary"),
            ["check", "--project", "leadgen-prod", "--service", "voiceapi", "--revision", "voiceapi-1"],
            new Dictionary<string, string?> { ["GOOGLE_OAUTH_ACCESS_TOKEN"] = null },
            timeout.Token);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("GOOGLE_OAUTH_ACCESS_TOKEN is not set", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task<ProcessResult> RunCheckAsync(Uri endpoint, string token, params string[] extra)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await ToolProcess.RunDotnetAsync(
            ToolProcess.BuiltAssembly("tools/LeadGen.Canary"),
            ["check", "--project", "leadgen-prod", "--service", "voiceapi", "--revision", "voiceapi-abc1234-7", "--endpoint", endpoint.ToString(), .. extra],
            new Dictionary<string, string?> { ["GOOGLE_OAUTH_ACCESS_TOKEN"] = token },
            timeout.Token);
    }
}
