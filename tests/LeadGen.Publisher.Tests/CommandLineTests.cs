namespace LeadGen.Publisher.Tests;

/// <summary>
/// The command line of the built tool: a mistake is one <c>error:</c> line per problem plus one usage line on stderr,
/// exit code 2, no stack trace and nothing written; <c>--help</c> lists the options; response files carry conventions.
/// </summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--environment", "dev" }, "error: --environment must be 'staging' or 'production' (got 'dev')")]
    [InlineData(new[] { "--colour", "blue" }, "error: Unrecognized command or argument '--colour'.")]
    [InlineData(new[] { "--tag", "bad tag" }, "error: --tag is not a valid image tag: 'bad tag'")]
    [InlineData(new[] { "--name-prefix", "Leads_Prod" }, "error: --name-prefix must be 1-12 lowercase letters, digits or hyphens, starting with a letter (got 'Leads_Prod')")]
    [InlineData(new[] { "--project-number", "12ab" }, "error: --project-number must be digits (got '12ab')")]
    [InlineData(new[] { "--parameter", "no-equals-sign" }, "error: --parameter expects NAME=VALUE (got 'no-equals-sign')")]
    [InlineData(new[] { "--redis-ca-certificate-env", "Redis:Ca" }, "error: --redis-ca-certificate-env must be an environment variable name (got 'Redis:Ca')")]
    [InlineData(new[] { "--tag" }, "error: Required argument missing for option: '--tag'.")]
    [InlineData(new[] { "@/nonexistent/conventions.rsp" }, "error: Error reading response file '/nonexistent/conventions.rsp'")]
    public async Task A_bad_option_is_one_error_line_and_exit_code_2(string[] options, string expected)
    {
        var (exitCode, stdout, stderr, output) = await RunAsync(options.Contains("--name-prefix") ? options : ["--name-prefix", "test", .. options]);

        Assert.Equal(2, exitCode);
        AssertOnlyErrorLines(stderr);
        Assert.Contains(stderr.Split('\n'), line => line.StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal(string.Empty, stdout);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Every_missing_required_option_is_named_on_its_own_line()
    {
        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync("--environment", "production");

        Assert.Equal(2, exitCode);
        AssertOnlyErrorLines(stderr);
        foreach (var option in new[] { "--manifest", "--output" })
        {
            Assert.Contains($"error: Option '{option}' is required.", stderr.Split('\n'));
        }

        // The name prefix is a convention with a neutral default, not a required option (CONVENTIONS.md's invocation).
        Assert.DoesNotContain("--name-prefix", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_option_on_stdout_with_exit_code_0()
    {
        var (exitCode, stdout, stderr) = await PublisherRun.RunCommandAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, stderr);
        foreach (var option in new[] { "--manifest", "--output", "--name-prefix", "--environment", "--registry", "--tag", "--project", "--region",
                     "--project-number", "--parameter", "--job", "--redis-ca-certificate-env", "--overlay", "--skip-unsupported" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Conventions_come_from_a_response_file_with_comments()
    {
        var directory = PublisherRun.NewTempDirectory("rsp");
        var conventions = Path.Combine(directory, "conventions.rsp");
        await File.WriteAllTextAsync(conventions, "# the bookshop's conventions\n--name-prefix books\n--job schema-setup\n");
        var output = Path.Combine(directory, "out");

        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync(
            "@" + conventions, "--manifest", PublisherRun.ManifestPath("bookshop.json"), "--output", output, "--parameter", "shop-title=x");

        Assert.True(exitCode == 0, stderr);
        Assert.True(File.Exists(Path.Combine(output, "cloudrun", "schema-setup.job.yaml")));
        Assert.Contains("books-storefront@", File.ReadAllText(Path.Combine(output, "cloudrun", "storefront.yaml")), StringComparison.Ordinal);
    }

    private static void AssertOnlyErrorLines(string stderr)
    {
        var lines = stderr.TrimEnd().Split('\n');
        Assert.All(lines[..^1], line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.StartsWith("usage: azure-free-gcp-manifests --manifest PATH --output DIR [options]", lines[^1], StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr, string Output)> RunAsync(string[] options)
    {
        var directory = PublisherRun.NewTempDirectory("command-line");
        var manifest = Path.Combine(directory, "aspire-manifest.json");
        await File.WriteAllTextAsync(manifest, """{ "resources": {} }""");
        var output = Path.Combine(directory, "out");
        var (exitCode, stdout, stderr) = await PublisherRun.RunCommandAsync(["--manifest", manifest, "--output", output, .. options]);
        return (exitCode, stdout, stderr, output);
    }
}
