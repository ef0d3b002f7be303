using System.Diagnostics;
using AzureFreeGcpManifests;
using AzureFreeGcpManifests.Cli;
using LeadGen.Testing;
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

    /// <summary>LeadGen's conventions exactly as our pipeline passes them (a response file read by the command line).</summary>
    public static string LeadGenConventions { get; } = "@" + Path.Combine(RepositoryPaths.Root, "deploy", "publisher-conventions.rsp");

    /// <summary>The command line as the CLI parses it; a parse error becomes a <see cref="PublishException"/> of its messages.</summary>
    public static PublisherOptions Parse(IReadOnlyList<string> args)
    {
        var commandLine = new PublisherCommandLine();
        var result = commandLine.Parse(args);
        return result.Errors.Count > 0
            ? throw new PublishException([.. result.Errors.Select(error => error.Message)])
            : commandLine.ToOptions(result);
    }

    /// <summary>Publishes and returns every written file (relative path with '/', content).</summary>
    public static async Task<SortedDictionary<string, string>> PublishAsync(string manifestPath, params string[] extraArgs)
    {
        var output = NewTempDirectory("publish");
        var options = Parse(["--manifest", manifestPath, "--output", output, .. extraArgs]);
        await GcpPublisher.PublishAsync(options, CancellationToken.None);
        return ReadTree(output);
    }

    /// <summary>The problems the publisher reports (as the CLI would print them), or an empty list if it succeeded.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(string manifestPath, string output, params string[] extraArgs)
    {
        try
        {
            var options = Parse(["--manifest", manifestPath, "--output", output, .. extraArgs]);
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
