using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// The smoke-test command (tools/LeadGen.SmokeTest, run by deploy/smoke-test.sh in both pipelines) against the real
/// console (the management API's host) started locally on real Postgres and Redis. Every check must pass: health, an authenticated
/// management call, and a text conversation turn whose throw-away lead is erased afterwards.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class SmokeTestCommandTests(SharedServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Against_the_local_console_health_the_management_api_and_a_conversation_turn_pass()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("smoke", timeout.Token);
        await using var api = await ConsoleProcess.StartAsync(database, servers.Redis.ConnectionString, key, timeout.Token);

        var result = await RunSmokeTestAsync(api.BaseUrl, key, timeout.Token);

        Assert.Contains("PASS health: GET /health returned 200 Healthy", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.AllOutput, StringComparison.Ordinal);

        Assert.Contains("PASS management-api:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS conversation:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("lead erased", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
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
    [InlineData(new string[0], "Option '--base-url' is required")]
    [InlineData(new[] { "--base-url", "ftp://example.com" }, "--base-url must be an absolute http(s) URL")]
    [InlineData(new[] { "--base-url", "http://127.0.0.1:1", "--bogus" }, "Unrecognized command or argument '--bogus'")]
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
}
