using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// No container engine on these machines, so the Dockerfile is checked statically: what its stages copy, restore and
/// publish must be the projects that exist, including every project they reference.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Services = ["voiceapi", "worker", "console"];
    private readonly string[] _lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "Dockerfile.production"));

    [Fact]
    public void Every_project_file_it_copies_restores_or_publishes_exists()
    {
        var projects = _lines.SelectMany(line => ProjectPath().Matches(line).Select(m => m.Value)).Distinct().ToList();
        Assert.NotEmpty(projects);
        Assert.All(projects, project => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, project)), $"Dockerfile.production names {project}, which does not exist"));
    }

    [Fact]
    public void Each_service_has_a_publish_stage_whose_projects_and_their_references_are_all_copied()
    {
        var copied = _lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).SkipLast(1))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            var stage = Array.FindIndex(_lines, l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith($" AS publish-{service}", StringComparison.Ordinal));
            Assert.True(stage >= 0, $"no 'publish-{service}' stage (the SERVICE build argument selects it)");
            var publish = ProjectPath().Match(_lines[stage + 1]);
            Assert.True(publish.Success && _lines[stage + 1].Contains("dotnet publish", StringComparison.Ordinal), $"stage publish-{service} does not publish a project");

            foreach (var project in ProjectClosure(publish.Value))
            {
                var folder = Path.GetDirectoryName(project)!.Replace('\\', '/') + "/";
                Assert.True(copied.Contains(project) || copied.Contains(folder), $"publish-{service} needs {project}, but no COPY brings it in");
                Assert.Contains(folder, copied); // the sources, not only the project file
            }
        }
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_non_root_user_on_the_aspnet_runtime_image()
    {
        var lastFrom = Array.FindLastIndex(_lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:", _lines[lastFrom], StringComparison.Ordinal);
        var user = _lines.Skip(lastFrom).Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user, StringComparison.Ordinal);
        Assert.NotEqual("USER 0", user.Trim());
        Assert.Contains(_lines, l => l.StartsWith("FROM publish-${SERVICE}", StringComparison.Ordinal));
    }

    /// <summary>A project and, transitively, every project it references (repository-relative paths).</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            var full = Path.Combine(RepositoryPaths.Root, current);
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference").Select(e => e.Attribute("Include")!.Value))
            {
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, reference.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryPaths.Root, resolved).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"(?:[\w.]+/)+[\w.]+\.csproj")]
    private static partial Regex ProjectPath();
}
