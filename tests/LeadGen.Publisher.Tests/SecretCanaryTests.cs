namespace LeadGen.Publisher.Tests;

/// <summary>Known secret values in the manifest's inputs must never reach any output file, stdout or stderr.</summary>
public sealed class SecretCanaryTests
{
    private static readonly string[] Canaries = ["CANARY-db-password-7f3a9c", "CANARY-api-key-51d2e8", "CANARY-external-host", "CANARY-external-pw"];

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public async Task Secret_values_never_appear_in_any_output(string environment)
    {
        var output = PublisherRun.NewTempDirectory("canary");

        var (exitCode, stdout, stderr) = await PublisherRun.RunCommandAsync(
            "--manifest", PublisherRun.ManifestPath("secret-canary.json"), "--output", output, "--name-prefix", "canary", "--environment", environment);

        Assert.True(exitCode == 0, stderr);
        var everything = PublisherRun.ReadTree(output).Values.Append(stdout).Append(stderr).ToList();
        Assert.True(everything.Count >= 5, "expected the YAML, tfvars and summary files");
        foreach (var canary in Canaries)
        {
            Assert.DoesNotContain(everything, text => text.Contains(canary, StringComparison.Ordinal));
        }

        // The secrets are still wired: by reference, to Secret Manager.
        var tfvars = PublisherRun.ReadTree(output)["terraform/services.auto.tfvars.json"];
        Assert.Contains("\"ApiKey\": \"api-key\"", tfvars, StringComparison.Ordinal);
        Assert.Contains("\"ConnectionStrings__external\": \"external-db\"", tfvars, StringComparison.Ordinal);
        Assert.Contains("\"DB_PASSWORD\": \"db-password\"", tfvars, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_passed_as_parameter_is_refused_without_echoing_it()
    {
        var output = PublisherRun.NewTempDirectory("canary-parameter");

        var (exitCode, stdout, stderr) = await PublisherRun.RunCommandAsync(
            "--manifest", PublisherRun.ManifestPath("secret-canary.json"), "--output", output, "--name-prefix", "canary", "--parameter", "api-key=CANARY-api-key-51d2e8");

        Assert.Equal(1, exitCode);
        Assert.Contains("--parameter api-key: 'api-key' is a secret", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", stdout + stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }
}
