using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// A stand-in for the Cloud Monitoring API v3 <c>projects.timeSeries.list</c> (GET /v3/projects/{project}/timeSeries),
/// on Kestrel at 127.0.0.1. It insists on a bearer token, a single metric type in the filter and the aggregation the
/// real API needs, answers with the real response shape (int64 values as JSON strings, doubles as numbers, paging by
/// nextPageToken) and records each request for assertions.
/// </summary>
internal sealed class FakeCloudMonitoring : IAsyncDisposable
{
    public const string Token = "ya29.test-token";
    private readonly WebApplication _app;

    private FakeCloudMonitoring(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<IQueryCollection> Requests { get; } = new();

    public Uri Endpoint => new(_app.Urls.First() + "/");

    /// <summary>Starts the fake; <paramref name="answer"/> gets (metric type, page token) and returns (status, JSON body).</summary>
    public static async Task<FakeCloudMonitoring> StartAsync(Func<string, string?, (int Status, string Body)> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeCloudMonitoring(app);
        app.MapGet("/v3/projects/{project}/timeSeries", (HttpContext context, string project) =>
        {
            fake.Requests.Enqueue(context.Request.Query);
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                return Results.Text(GoogleError(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED"), "application/json", statusCode: 401);
            }

            var filter = context.Request.Query["filter"].ToString();
            var metric = System.Text.RegularExpressions.Regex.Match(filter, "metric.type = \"([^\"]+)\"");
            if (project != "leadgen-prod" || !metric.Success || string.IsNullOrEmpty(context.Request.Query["interval.endTime"])
                || string.IsNullOrEmpty(context.Request.Query["aggregation.perSeriesAligner"]))
            {
                return Results.Text(GoogleError(400, "Field filter had an invalid value.", "INVALID_ARGUMENT"), "application/json", statusCode: 400);
            }

            var (status, body) = answer(metric.Groups[1].Value, context.Request.Query["pageToken"].FirstOrDefault());
            return Results.Text(body, "application/json", statusCode: status);
        });
        await app.StartAsync();
        return fake;
    }

    public static string GoogleError(int code, string message, string status) =>
        $$$"""{"error":{"code":{{{code}}},"message":"{{{message}}}","status":"{{{status}}}"}}""";

    /// <summary>A timeSeries.list page: one series per response class with one point each.</summary>
    public static string Page(IEnumerable<(string ResponseClass, string ValueJson)> groups, string? nextPageToken = null)
    {
        var series = groups.Select(g =>
            "{\"metric\":{\"type\":\"run.googleapis.com/request_count\",\"labels\":{\"response_code_class\":\"" + g.ResponseClass + "\"}},"
            + "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"project_id\":\"leadgen-prod\"}},\"metricKind\":\"DELTA\","
            + "\"points\":[{\"interval\":{\"startTime\":\"2026-11-25T10:00:00Z\",\"endTime\":\"2026-11-25T10:05:00Z\"},\"value\":" + g.ValueJson + "}]}");
        var next = nextPageToken is null ? "" : $",\"nextPageToken\":\"{nextPageToken}\"";
        return $"{{\"timeSeries\":[{string.Join(',', series)}]{next},\"unit\":\"1\"}}";
    }

    public static string Count(long value) => $"{{\"int64Value\":\"{value}\"}}";

    public static string Milliseconds(double value) => $"{{\"doubleValue\":{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
