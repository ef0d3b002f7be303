using System.Diagnostics;
using AzureFreeGcpManifests;
using AzureFreeGcpManifests.Cli;
using GcpPublisher = AzureFreeGcpManifests.Publishing.Publisher;

namespace LeadGen.Publisher.Tests;

/// <summary>Runs the publisher in-process (same code path as the CLI) or as the real command, into a fresh folder.</summary>
internal static class PublisherRun
{
    public static string NewTempDirectory(string purpose)
    {
        var directory = Path.Combine(Path.GetTempPath(), "leadgen-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static string ManifestPath(string name) => Path.Combine(AppContext.BaseDirectory, "Manifests", name);

    /// <summary>Publishes and returns every written file (relative path with '/', content).</summary>
    public static async Task<SortedDictionary<string, string>> PublishAsync(string manifestPath, params string[] extraArgs)
    {
        var output = NewTempDirectory("publish");
        var options = OptionsParser.Parse(["--manifest", manifestPath, "--output", output, .. extraArgs]);
        await GcpPublisher.PublishAsync(options, CancellationToken.None);
        return ReadTree(output);
    }

    /// <summary>The problems the publisher reports (as the CLI would print them), or an empty list if it succeeded.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(string manifestPath, string output, params string[] extraArgs)
    {
        try
        {
            var options = OptionsParser.Parse(["--manifest", manifestPath, "--output", output, .. extraArgs]);
            await GcpPublisher.PublishAsync(options, CancellationToken.None);
            return [];
        }
        catch (PublishException exception)
        {
            return exception.Problems;
        }
    }

    public static SortedDictionary<string, string> ReadTree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(root, file).Replace('\\', '/'), File.ReadAllText),
        StringComparer.Ordinal);

    /// <summary>Runs the built command (<c>dotnet AzureFreeGcpManifests.dll ...</c>), as CI and the dotnet tool do.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunCommandAsync(params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AzureFreeGcpManifests.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
