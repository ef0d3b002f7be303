using System.Diagnostics;
using System.Text.Json;
using LeadGen.Testing;

namespace LeadGen.Publisher.Tests.Terraform;

/// <summary>
/// Parses HCL files with @cdktf/hcl2json (HashiCorp's parser compiled to wasm) through node. ./test.sh installs it into
/// tests/tools/node_modules; no terraform binary or network is needed.
/// </summary>
internal static class HclParser
{
    public static string ToolsDirectory => Path.Combine(RepositoryPaths.Root, "tests", "tools");

    /// <summary>File path → parsed JSON, or the parser's error message.</summary>
    public static async Task<IReadOnlyDictionary<string, (JsonElement? Json, string? Error)>> ParseAsync(IReadOnlyList<string> files)
    {
        if (!Directory.Exists(Path.Combine(ToolsDirectory, "node_modules", "@cdktf", "hcl2json")))
        {
            throw new InvalidOperationException("@cdktf/hcl2json is not installed: run ./test.sh (or `npm install` in tests/tools) first.");
        }

        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Terraform", "parse-hcl.cjs"));
        startInfo.ArgumentList.Add(ToolsDirectory);
        foreach (var file in files)
        {
            startInfo.ArgumentList.Add(file);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node parse-hcl.cjs failed ({process.ExitCode}): {await stderr}");
        }

        using var document = JsonDocument.Parse(await stdout);
        return document.RootElement.EnumerateObject().ToDictionary(
            file => file.Name,
            file => file.Value.TryGetProperty("json", out var json)
                ? ((JsonElement?)json.Clone(), (string?)null)
                : ((JsonElement?)null, file.Value.GetProperty("error").GetString()));
    }
}
