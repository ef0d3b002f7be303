using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace LeadGen.Canary;

/// <summary>One aggregated series from <c>projects.timeSeries.list</c>: the group's label and its point values.</summary>
internal sealed record MetricGroup(string ResponseCodeClass, IReadOnlyList<double> Values);

/// <summary>
/// Reads Cloud Run revision metrics through the Cloud Monitoring REST API (v3 <c>projects.timeSeries.list</c>), grouped
/// by <c>response_code_class</c>. The bearer token comes from the caller (the scripts use <c>gcloud auth print-access-token</c>).
/// </summary>
internal sealed class MonitoringClient(HttpClient http, string project, string accessToken)
{
    public const string DefaultEndpoint = "https://monitoring.googleapis.com/";
    public const string RequestCountMetric = "run.googleapis.com/request_count";
    public const string LatencyMetric = "run.googleapis.com/request_latencies";
    private const string GroupLabel = "response_code_class";

    /// <summary>Requests per response class over the window (ALIGN_DELTA summed across instances).</summary>
    public Task<IReadOnlyList<MetricGroup>> RequestCountsAsync(CanaryTarget target, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        ListAsync(RequestCountMetric, target, start, end, "REDUCE_SUM", cancellationToken);

    /// <summary>99th percentile latency in milliseconds per response class over the window.</summary>
    public Task<IReadOnlyList<MetricGroup>> LatencyP99Async(CanaryTarget target, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        ListAsync(LatencyMetric, target, start, end, "REDUCE_PERCENTILE_99", cancellationToken);

    private async Task<IReadOnlyList<MetricGroup>> ListAsync(
        string metric, CanaryTarget target, DateTimeOffset start, DateTimeOffset end, string reducer, CancellationToken cancellationToken)
    {
        var filter = $"metric.type = \"{metric}\" AND resource.type = \"cloud_run_revision\" "
                     + $"AND resource.labels.service_name = \"{target.Service}\" AND resource.labels.revision_name = \"{target.Revision}\"";
        var window = Math.Max(60, (long)Math.Ceiling((end - start).TotalSeconds));
        var groups = new List<MetricGroup>();
        string? pageToken = null;
        do
        {
            var query = new List<KeyValuePair<string, string>>
            {
                new("filter", filter),
                new("interval.startTime", start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                new("interval.endTime", end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                new("aggregation.alignmentPeriod", $"{window}s"),
                new("aggregation.perSeriesAligner", "ALIGN_DELTA"),
                new("aggregation.crossSeriesReducer", reducer),
                new("aggregation.groupByFields", $"metric.labels.{GroupLabel}"),
                new("view", "FULL"),
            };
            if (pageToken is not null)
            {
                query.Add(new("pageToken", pageToken));
            }

            var path = $"v3/projects/{Uri.EscapeDataString(project)}/timeSeries?"
                       + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new MonitoringException($"Cloud Monitoring answered {(int)response.StatusCode} for {metric}: {GoogleErrorMessage(body)}");
            }

            using var document = JsonDocument.Parse(body);
            groups.AddRange(ReadGroups(document.RootElement));
            pageToken = document.RootElement.TryGetProperty("nextPageToken", out var next) && next.GetString() is { Length: > 0 } token ? token : null;
        }
        while (pageToken is not null);

        return groups;
    }

    private static IEnumerable<MetricGroup> ReadGroups(JsonElement root)
    {
        if (!root.TryGetProperty("timeSeries", out var series))
        {
            yield break; // No data in the window: the API omits the field.
        }

        foreach (var item in series.EnumerateArray())
        {
            var label = item.TryGetProperty("metric", out var m) && m.TryGetProperty("labels", out var labels) && labels.TryGetProperty(GroupLabel, out var value)
                ? value.GetString() ?? ""
                : "";
            var values = new List<double>();
            if (item.TryGetProperty("points", out var points))
            {
                foreach (var point in points.EnumerateArray())
                {
                    values.Add(ReadValue(point.GetProperty("value")));
                }
            }

            yield return new MetricGroup(label, values);
        }
    }

    /// <summary>TypedValue: int64 values arrive as JSON strings, doubles as numbers.</summary>
    private static double ReadValue(JsonElement value)
    {
        if (value.TryGetProperty("int64Value", out var integer))
        {
            return integer.ValueKind == JsonValueKind.String
                ? long.Parse(integer.GetString()!, CultureInfo.InvariantCulture)
                : integer.GetInt64();
        }

        if (value.TryGetProperty("doubleValue", out var number))
        {
            return number.GetDouble();
        }

        throw new MonitoringException($"unexpected point value {value.GetRawText()}");
    }

    private static string GoogleErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 300 ? body[..300] : body;
    }
}

internal sealed record CanaryTarget(string Service, string Revision);

internal sealed class MonitoringException(string message) : Exception(message);
