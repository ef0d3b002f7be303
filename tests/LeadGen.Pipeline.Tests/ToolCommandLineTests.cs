namespace LeadGen.Pipeline.Tests;

/// <summary>
/// Every tool's command line (System.CommandLine through tools/CommandLine/ToolCommandLine.cs), run as a process the way
/// scripts run it: <c>--help</c> lists the options and exits 0; bad input is exactly one line on standard error, naming
/// the problem, with exit code 2 (never a stack trace, never a screen of help).
/// </summary>
public sealed class ToolCommandLineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("tools/LeadGen.Canary", "check", "--max-p99-ms")]
    [InlineData("tools/LeadGen.SmokeTest", null, "--base-url")]
    [InlineData("tools/LeadGen.Evals", null, "--personas")]
    [InlineData("tools/LeadGen.Faults", null, "--max-concurrent-calls")]
    [InlineData("tools/LeadGen.TelephonySimulator", null, "--voice-url")]
    public async Task Help_lists_the_options_and_exits_0(string tool, string? subcommand, string someOption)
    {
        var result = await RunAsync(tool, subcommand is null ? ["--help"] : [subcommand, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(someOption, result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Theory]
    [InlineData("tools/LeadGen.Canary", new[] { "check", "--project", "p", "--service", "s", "--revision", "r", "--endpoint", "monitoring.googleapis.com" }, "--endpoint must be an absolute http(s) URL (got 'monitoring.googleapis.com')")]
    [InlineData("tools/LeadGen.SmokeTest", new[] { "--base-url", "not a url" }, "--base-url must be an absolute http(s) URL (got 'not a url')")]
    [InlineData("tools/LeadGen.TelephonySimulator", new[] { "--voice-url", "ftp://example.com/voice", "--auth-token", "t" }, "--voice-url must be an absolute http(s) URL (got 'ftp://example.com/voice')")]
    [InlineData("tools/LeadGen.Evals", new[] { "--rate-tokens", "cheap" }, "--rate-tokens must be an amount of 0 or more (got 'cheap')")]
    [InlineData("tools/LeadGen.Faults", new[] { "--leads", "0" }, "--leads must be a whole number of at least 1 (got '0')")]
    public async Task Bad_input_is_one_line_and_exit_code_2(string tool, string[] arguments, string reason)
    {
        var result = await RunAsync(tool, arguments);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(Path.GetFileName(tool) + ": ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    private static async Task<ProcessResult> RunAsync(string tool, IEnumerable<string> arguments)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await ToolProcess.RunDotnetAsync(ToolProcess.BuiltAssembly(tool), arguments, null, timeout.Token);
    }
}
