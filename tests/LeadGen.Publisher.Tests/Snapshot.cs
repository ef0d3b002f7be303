using LeadGen.Testing;

namespace LeadGen.Publisher.Tests;

/// <summary>
/// Compares publisher output with the files under tests/LeadGen.Publisher.Tests/Snapshots/&lt;name&gt;/. To accept a
/// change, run the tests with UPDATE_SNAPSHOTS=1 and review the diff in git.
/// </summary>
internal static class Snapshot
{
    public static string Directory(string name) =>
        Path.Combine(RepositoryPaths.Root, "tests", "LeadGen.Publisher.Tests", "Snapshots", name);

    public static void Match(string name, IReadOnlyDictionary<string, string> actual)
    {
        var directory = Directory(name);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            foreach (var (path, content) in actual)
            {
                var file = Path.Combine(directory, path);
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content);
            }

            return;
        }

        Assert.True(System.IO.Directory.Exists(directory), $"snapshot '{name}' is missing; run with UPDATE_SNAPSHOTS=1 and review it");
        var expected = PublisherRun.ReadTree(directory);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, content) in expected)
        {
            if (content != actual[path])
            {
                var expectedLines = content.Split('\n');
                var actualLines = actual[path].Split('\n');
                var line = Enumerable.Range(0, Math.Min(expectedLines.Length, actualLines.Length)).FirstOrDefault(
                    index => expectedLines[index] != actualLines[index], Math.Min(expectedLines.Length, actualLines.Length));
                Assert.Fail($"snapshot '{name}/{path}' differs from line {line + 1} (UPDATE_SNAPSHOTS=1 to accept, then review the diff).\n"
                    + $"expected: {expectedLines.ElementAtOrDefault(line)}\nactual:   {actualLines.ElementAtOrDefault(line)}");
            }
        }
    }
}
