using System.Net;
using System.Text.Json;

namespace LeadGen.SmokeTest;

/// <summary>
/// GET /health must answer 200 with status Healthy (Postgres and Redis reachable). Retried until the wait runs out,
/// because a revision that was just rolled out may still be starting.
/// </summary>
internal sealed class HealthProbe(TimeSpan wait, TimeProvider time) : ISmokeCheck
{
    private const string Path = "health";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    public string Name => "health";

    public async Task<CheckResult> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var (healthy, detail) = await ProbeOnceAsync(http, cancellationToken);
            if (healthy)
            {
                return CheckResult.Pass(Name, detail);
            }

            if (time.GetUtcNow() + RetryDelay > deadline)
            {
                return CheckResult.Fail(Name, $"{detail} (gave up after {wait.TotalSeconds:0} s)");
            }

            await Task.Delay(RetryDelay, time, cancellationToken);
        }
    }

    private static async Task<(bool Healthy, string Detail)> ProbeOnceAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(Path, UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (false, await ResponseText.DescribeAsync(HttpMethod.Get, "/health", response, cancellationToken));
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = ReadStatus(body);
            return status is null or "Healthy"
                ? (true, $"GET /health returned 200 {status ?? "(no JSON status)"}")
                : (false, $"GET /health returned 200 but status is {status}");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"GET /health failed: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "GET /health timed out");
        }
    }

    private static string? ReadStatus(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("status", out var status)
                   && status.ValueKind == JsonValueKind.String
                ? status.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
