using System.Diagnostics;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>The outcome of a finished process: exit code and everything it printed.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + StandardError;
}

/// <summary>Runs the repository's built tools and scripts as processes, the way the pipelines run them.</summary>
internal static class ToolProcess
{
    private static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built dll of a project in the repository, e.g. <c>tools/LeadGen.SmokeTest</c>.</summary>
    public static string BuiltAssembly(string projectFolder)
    {
        var name = Path.GetFileName(projectFolder);
        var path = Path.Combine(RepositoryPaths.Root, projectFolder, "bin", Configuration, "net10.0", name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built (dotnet build LeadGen.sln first).");
    }

    public static Task<ProcessResult> RunDotnetAsync(string assembly, IEnumerable<string> arguments, IDictionary<string, string?>? environment, CancellationToken cancellationToken) =>
        RunAsync("dotnet", [assembly, .. arguments], environment, cancellationToken);

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
