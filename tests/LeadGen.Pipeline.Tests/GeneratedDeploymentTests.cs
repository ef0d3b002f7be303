using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// deploy/generate-manifests.sh end to end on this machine (AppHost manifest, then our publisher), and the hand-offs
/// the pipeline relies on: the images the build pushes are the images the generated YAML deploys, the job name is read
/// from the generated job, and the canary step can pin traffic in the generated service.
/// </summary>
public sealed partial class GeneratedDeploymentTests : IDisposable
{
    private const string Registry = "us-central1-docker.pkg.dev/leadgen-staging/leadgen";
    private const string Tag = "0123abc";
    private readonly string _output = Directory.CreateTempSubdirectory("leadgen-generated-").FullName;

    [Fact]
    public async Task Generated_files_deploy_the_images_the_pipelines_push_and_feed_the_canary_step()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

        var generate = await ToolProcess.RunAsync(
            "bash",
            ["deploy/generate-manifests.sh", "staging", Registry, Tag, _output],
            new Dictionary<string, string?> { ["LEADGEN_DOTNET_RUN_OPTIONS"] = $"-c {configuration} --no-build", ["PUBLIC_BASE_URL"] = "https://voice.staging.leadgen.example" },
            timeout.Token);

        Assert.True(generate.ExitCode == 0, generate.AllOutput);
        foreach (var file in new[] { "aspire-manifest.json", "cloudrun/voiceapi.yaml", "cloudrun/worker.yaml", "cloudrun/migrations.job.yaml", "terraform/services.auto.tfvars.json", "summary.md" })
        {
            Assert.True(File.Exists(Path.Combine(_output, file)), $"{file} was not generated");
        }

        // PublishContainer (GitHub) and Dockerfile.production (Cloud Build) push exactly the images the YAML deploys.
        var cloudBuild = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "cloudbuild.yaml"), timeout.Token);
        var deployWorkflow = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, ".github/workflows/deploy.yml"), timeout.Token);
        foreach (var (service, project) in new[] { ("voiceapi", "LeadGen.VoiceApi"), ("worker", "LeadGen.Worker") })
        {
            var image = ContainerRepository(project);
            var yaml = await File.ReadAllTextAsync(Path.Combine(_output, "cloudrun", service + ".yaml"), timeout.Token);
            Assert.Equal($"{Registry}/{image}:{Tag}", ImageLine().Match(yaml).Groups["image"].Value);
            Assert.Contains($"${{_REGISTRY}}/{image}:${{COMMIT_SHA}}", cloudBuild, StringComparison.Ordinal);
            Assert.Contains(image, deployWorkflow, StringComparison.Ordinal); // the scan matrix
        }

        var jobName = await ToolProcess.RunAsync("bash", ["-c", "source deploy/lib.sh && yaml_metadata_name \"$1\"", "name", Path.Combine(_output, "cloudrun/migrations.job.yaml")], null, timeout.Token);
        Assert.Equal("migrations", jobName.StandardOutput.Trim());

        var describe = Path.Combine(_output, "describe.json");
        await File.WriteAllTextAsync(describe, """{"status":{"traffic":[{"revisionName":"voiceapi-00007-abc","percent":100,"latestRevision":true}]}}""", timeout.Token);
        var prepare = await ToolProcess.RunDotnetAsync(
            ToolProcess.BuiltAssembly("tools/LeadGen.Canary"),
            ["prepare", "--service-yaml", Path.Combine(_output, "cloudrun/voiceapi.yaml"), "--current", describe, "--revision-suffix", Tag + "-1-1", "--output", Path.Combine(_output, "canary.yaml")],
            null,
            timeout.Token);
        Assert.True(prepare.ExitCode == 0, prepare.AllOutput);
        Assert.Contains("stable_revision=voiceapi-00007-abc", prepare.StandardOutput, StringComparison.Ordinal);
        var canary = await File.ReadAllTextAsync(Path.Combine(_output, "canary.yaml"), timeout.Token);
        Assert.Contains("name: voiceapi-0123abc-1-1", canary, StringComparison.Ordinal);
        Assert.Contains("tag: canary", canary, StringComparison.Ordinal);
        Assert.Equal(
            CountOf(await File.ReadAllTextAsync(Path.Combine(_output, "cloudrun/voiceapi.yaml"), timeout.Token), "secretKeyRef:"),
            CountOf(canary, "secretKeyRef:"));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private static string ContainerRepository(string project) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, project, project + ".csproj")).Descendants("ContainerRepository").Single().Value;

    private static int CountOf(string text, string value) => Regex.Count(text, Regex.Escape(value));

    [GeneratedRegex(@"^\s+image:\s*(?<image>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ImageLine();
}
