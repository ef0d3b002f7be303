using System.Net;

namespace LeadGen.SmokeTest;

/// <summary>
/// The management API must refuse a request without the key (401) and answer the same request with the key
/// (header <c>X-Api-Key</c>) with a success status. GET /api/campaigns is the read-only call used for this.
/// </summary>
internal sealed class ManagementApiProbe(string? apiKey, string apiKeyVariable) : ISmokeCheck
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const string Path = "/api/campaigns";

    public string Name => "management-api";

    public async Task<CheckResult> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (apiKey is null)
        {
            return CheckResult.Fail(Name, $"no management API key: set the environment variable {apiKeyVariable}");
        }

        using (var anonymous = await http.GetAsync(new Uri(Path.TrimStart('/'), UriKind.Relative), cancellationToken))
        {
            if (ResponseText.IsNotFound(anonymous))
            {
                return CheckResult.Fail(Name, $"GET {Path} returned 404 Not Found: the management API is not deployed at this URL");
            }

            if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
            {
                return CheckResult.Fail(Name, $"without {ApiKeyHeader}: expected 401 Unauthorized, got "
                    + await ResponseText.DescribeAsync(HttpMethod.Get, Path, anonymous, cancellationToken));
            }
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Path.TrimStart('/'), UriKind.Relative));
        request.Headers.Add(ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? CheckResult.Pass(Name, $"GET {Path} returned 401 without the key and {(int)response.StatusCode} with it")
            : CheckResult.Fail(Name, $"with {ApiKeyHeader}: " + await ResponseText.DescribeAsync(HttpMethod.Get, Path, response, cancellationToken));
    }
}
