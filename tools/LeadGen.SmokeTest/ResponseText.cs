using System.Net;
using System.Text.Json;

namespace LeadGen.SmokeTest;

/// <summary>Describes an HTTP response for a failure line: status plus the ProblemDetails title/detail when present.</summary>
internal static class ResponseText
{
    private const int MaxBodyCharacters = 300;
    private static readonly string[] ProblemFields = ["title", "detail"];

    public static async Task<string> DescribeAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"{method} {path} returned {(int)response.StatusCode} {response.ReasonPhrase}";
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = ProblemSummary(body);
        return problem is null ? status : $"{status} ({problem})";
    }

    public static bool IsNotFound(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.NotFound;

    private static string? ProblemSummary(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var parts = ProblemFields
                    .Select(name => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
                    .Where(text => !string.IsNullOrWhiteSpace(text));
                var summary = string.Join(": ", parts);
                if (summary.Length > 0)
                {
                    return Truncate(summary);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return Truncate(body.ReplaceLineEndings(" ").Trim());
    }

    private static string Truncate(string text) => text.Length <= MaxBodyCharacters ? text : text[..MaxBodyCharacters] + "…";
}
