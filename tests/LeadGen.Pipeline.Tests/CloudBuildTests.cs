using System.Text.RegularExpressions;
using LeadGen.Testing;
using YamlDotNet.RepresentationModel;

namespace LeadGen.Pipeline.Tests;

public sealed partial class CloudBuildTests
{
    private static readonly string[] BuiltInSubstitutions = ["PROJECT_ID", "COMMIT_SHA", "SHORT_SHA", "BUILD_ID", "BRANCH_NAME", "REPO_NAME"];

    private readonly YamlMappingNode _build = YamlFiles.Load("cloudbuild.yaml");

    private IReadOnlyList<YamlMappingNode> Steps => ((YamlSequenceNode)_build.Get("steps")!).Children.Cast<YamlMappingNode>().ToList();

    [Fact]
    public void Every_step_has_a_unique_id_an_image_and_waits_only_for_steps_that_exist()
    {
        var ids = Steps.Select(s => s.Text("id")).ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(Steps, s => Assert.False(string.IsNullOrEmpty(s.Text("name")), $"step {s.Text("id")} has no image"));
        foreach (var step in Steps.Where(s => s.Get("waitFor") is not null))
        {
            var waits = ((YamlSequenceNode)step.Get("waitFor")!).Children.Cast<YamlScalarNode>().Select(n => n.Value!);
            Assert.All(waits, wait => Assert.True(ids.IndexOf(wait) >= 0 && ids.IndexOf(wait) < ids.IndexOf(step.Text("id")),
                $"step {step.Text("id")} waits for '{wait}', which is not an earlier step"));
        }
    }

    [Fact]
    public void Every_script_and_file_it_references_exists()
    {
        var referenced = Steps.SelectMany(s => s.Scalars())
            .SelectMany(text => RepositoryPathReference().Matches(text).Select(m => m.Value))
            .Where(path => !path.Contains("$$", StringComparison.Ordinal)) // loop paths: checked below
            .Distinct()
            .ToList();
        Assert.Contains("deploy/canary-rollout.sh", referenced);
        Assert.Contains("Dockerfile.production", referenced);
        foreach (var path in referenced)
        {
            var full = Path.Combine(RepositoryPaths.Root, path);
            Assert.True(File.Exists(full) || Directory.Exists(full), $"cloudbuild.yaml references {path}, which does not exist");
        }

        // The tools step publishes tools/LeadGen.$$tool for each name in its loop.
        var loop = Steps.SelectMany(s => s.Scalars()).Select(text => ToolLoop().Match(text)).Single(m => m.Success);
        var tools = loop.Groups["tools"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["SmokeTest", "Canary"], tools);
        foreach (var tool in tools)
        {
            Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "tools", $"LeadGen.{tool}", $"LeadGen.{tool}.csproj")));
        }
    }

    [Fact]
    public void Every_user_substitution_is_declared_and_shell_variables_are_escaped()
    {
        var declared = ((YamlMappingNode)_build.Get("substitutions")!).Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToHashSet();
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "cloudbuild.yaml"));
        foreach (Match match in SubstitutionReference().Matches(text))
        {
            var name = match.Groups["name"].Value;
            Assert.True(declared.Contains(name) || BuiltInSubstitutions.Contains(name), $"${{{name}}} is neither declared nor built in");
        }

        // Cloud Build rejects an unescaped $NAME it does not know; shell variables must be written $$NAME.
        foreach (var scalar in Steps.SelectMany(s => s.Scalars()))
        {
            foreach (Match bare in BareShellVariable().Matches(scalar))
            {
                Assert.Fail($"unescaped shell variable '{bare.Value}' in: {scalar}");
            }
        }
    }

    [Fact]
    public void It_runs_the_same_pipeline_scripts_as_the_github_deploy_workflow()
    {
        var cloudBuild = ScriptNames(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "cloudbuild.yaml")));
        var github = ScriptNames(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".github/workflows/deploy.yml")));
        // Cloud Build builds with Dockerfile.production instead of deploy/build-images.sh (PublishContainer); the rest is shared.
        github.Remove("deploy/build-images.sh");
        Assert.Equal(github.Order(StringComparer.Ordinal), cloudBuild.Order(StringComparer.Ordinal));
    }

    private static HashSet<string> ScriptNames(string text) => DeployScript().Matches(text).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"(?:deploy/[\w-]+\.sh|\.ci/run|Dockerfile\.production|tools/LeadGen\.[\w$]+)")]
    private static partial Regex RepositoryPathReference();

    [GeneratedRegex(@"for tool in (?<tools>[\w ]+);")]
    private static partial Regex ToolLoop();

    [GeneratedRegex(@"deploy/[\w-]+\.sh")]
    private static partial Regex DeployScript();

    [GeneratedRegex(@"(?<!\$)\$\{(?<name>[A-Z_][A-Z0-9_]*)\}")]
    private static partial Regex SubstitutionReference();

    [GeneratedRegex(@"(?<!\$)\$(?![${])[a-z]\w*")]
    private static partial Regex BareShellVariable();
}
