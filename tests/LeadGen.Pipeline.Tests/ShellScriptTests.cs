using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

public sealed class ShellScriptTests
{
    public static TheoryData<string> PipelineScripts()
    {
        var data = new TheoryData<string>();
        foreach (var script in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "deploy"), "*.sh").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, script));
        }

        data.Add(".ci/run");
        return data;
    }

    [Theory]
    [MemberData(nameof(PipelineScripts))]
    public async Task Pipeline_script_is_clean_under_shellcheck(string script)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        // -x follows `source deploy/lib.sh`; run from the repository root, where the source= directives are rooted.
        var result = await ToolProcess.RunAsync("shellcheck", ["-x", "--severity=style", script], null, timeout.Token);
        Assert.True(result.ExitCode == 0, $"shellcheck {script}:\n{result.AllOutput}");
    }

    [Theory]
    [InlineData("deploy/terraform.sh", new[] { "qa", "plan", "." }, "environment must be 'staging' or 'production'")]
    [InlineData("deploy/generate-manifests.sh", new[] { "staging" }, "usage: generate-manifests.sh")]
    [InlineData("deploy/canary-rollout.sh", new[] { "generated" }, "usage: canary-rollout.sh")]
    [InlineData("deploy/run-migrations.sh", new[] { "generated" }, "missing environment: GCP_PROJECT GCP_REGION")]
    public async Task Pipeline_script_refuses_bad_input_with_a_clear_message(string script, string[] arguments, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var environment = new Dictionary<string, string?> { ["GCP_PROJECT"] = null, ["GCP_REGION"] = null, ["TF_STATE_BUCKET"] = "bucket" };
        var result = await ToolProcess.RunAsync("bash", [script, .. arguments], environment, timeout.Token);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_name_helper_reads_the_top_level_name_of_a_generated_yaml()
    {
        var file = Path.Combine(Path.GetTempPath(), $"leadgen-job-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: run.googleapis.com/v1\nkind: Job\nmetadata:\n  labels:\n    name: not-this\n  name: leadgen-migrations\nspec:\n  template:\n    metadata:\n      name: nor-this\n");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var result = await ToolProcess.RunAsync("bash", ["-c", "source deploy/lib.sh && yaml_metadata_name \"$1\"", "test", file], null, timeout.Token);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("leadgen-migrations", result.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
