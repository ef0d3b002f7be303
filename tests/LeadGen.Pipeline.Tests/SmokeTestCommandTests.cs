using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// The smoke-test command (tools/LeadGen.SmokeTest, run by deploy/smoke-test.sh in both pipelines) against the real
/// voice API started locally on real Postgres and Redis. Which checks can pass depends on what the API serves in this
/// build: when the management API or the conversation API is not there yet (404), the command must fail and say so
/// plainly; once they are merged the same test expects them to pass.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class SmokeTestCommandTests(SharedServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Against_the_local_voice_api_health_passes_and_each_api_check_matches_what_the_api_serves()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("smoke", timeout.Token);
        await using var api = await VoiceApiProcess.StartAsync(database, servers.Redis.ConnectionString, key, timeout.Token);

        var result = await RunSmokeTestAsync(api.BaseUrl, key, timeout.Token);

        Assert.Contains("PASS health: GET /health returned 200 Healthy", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.AllOutput, StringComparison.Ordinal);

        // What the deployed API actually serves decides the other two checks' expected outcome.
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        var managementApiServed = await ServedAsync(http, HttpMethod.Get, "api/campaigns", key, timeout.Token);
        var conversationsServed = await ServedAsync(http, HttpMethod.Post, "api/conversations", key, timeout.Token);
        if (managementApiServed)
        {
            Assert.Contains("PASS management-api:", result.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("FAIL management-api: GET /api/campaigns returned 404 Not Found: the management API is not deployed at this URL", result.StandardOutput, StringComparison.Ordinal);
        }

        if (!managementApiServed)
        {
            // The conversation check needs a throw-away lead, created through the management API.
            Assert.Contains("FAIL conversation: could not find or create the smoke-test campaign: GET /api/campaigns returned 404 Not Found", result.StandardOutput, StringComparison.Ordinal);
        }
        else if (conversationsServed)
        {
            Assert.Contains("PASS conversation:", result.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("lead erased", result.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("FAIL conversation: POST /api/conversations returned 404 Not Found: the text conversation API is not deployed at this URL", result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(managementApiServed && conversationsServed ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task With_nothing_listening_every_check_fails_and_the_exit_code_is_1()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var result = await RunSmokeTestAsync(closed, "some-key", timeout.Token, "--health-wait", "0", "--timeout", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL health: GET /health failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL management-api: request failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("FAIL conversation: request failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("smoke test FAILED (3 of 3 checks)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_key_in_the_environment_the_api_checks_fail_naming_the_variable()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var result = await RunSmokeTestAsync(closed, null, timeout.Token, "--health-wait", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL management-api: no management API key: set the environment variable LEADGEN_MANAGEMENT_API_KEY", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "--base-url is required")]
    [InlineData(new[] { "--base-url", "ftp://example.com" }, "--base-url must be an absolute http(s) URL")]
    [InlineData(new[] { "--base-url", "http://127.0.0.1:1", "--bogus" }, "unknown or incomplete argument '--bogus'")]
    public async Task Bad_usage_exits_2_with_the_reason(string[] arguments, string reason)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var result = await ToolProcess.RunDotnetAsync(ToolProcess.BuiltAssembly("tools/LeadGen.SmokeTest"), arguments, null, timeout.Token);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
    }

    internal static Task<ProcessResult> RunSmokeTestAsync(Uri baseUrl, string? key, CancellationToken cancellationToken, params string[] extra) =>
        ToolProcess.RunDotnetAsync(
            ToolProcess.BuiltAssembly("tools/LeadGen.SmokeTest"),
            ["--base-url", baseUrl.ToString(), .. extra],
            new Dictionary<string, string?> { ["LEADGEN_MANAGEMENT_API_KEY"] = key },
            cancellationToken);

    private static async Task<bool> ServedAsync(HttpClient http, HttpMethod method, string path, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", key);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode != HttpStatusCode.NotFound;
    }
}
