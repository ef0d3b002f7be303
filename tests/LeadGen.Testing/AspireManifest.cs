using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LeadGen.Testing;

/// <summary>Generates the AppHost's Aspire manifest the way CI does (<c>--publisher manifest</c>), from the built AppHost.</summary>
public static class AspireManifest
{
    public static async Task<JsonObject> GenerateAsync(string outputPath, CancellationToken cancellationToken = default)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[]
                 {
                     "run", "--project", Path.Combine(RepositoryPaths.Root, "LeadGen.AppHost"), "--no-build", "-c", configuration,
                     "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", Path.GetFullPath(outputPath),
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Manifest generation failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return JsonNode.Parse(await File.ReadAllTextAsync(outputPath, cancellationToken))!.AsObject();
    }
}
