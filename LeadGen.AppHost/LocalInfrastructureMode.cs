using Microsoft.Extensions.Configuration;

using System.Diagnostics;

namespace LeadGen.AppHost;

/// <summary>How run mode provides Postgres and Redis: containers when a container runtime answers, else local processes.</summary>
internal enum LocalInfrastructureMode
{
    Containers,
    Processes,
}

internal static class LocalInfrastructureDetector
{
    public const string SettingName = "LocalInfrastructure";

    /// <summary>Reads <c>LocalInfrastructure</c> (auto | containers | processes); "auto" asks docker, then podman.</summary>
    public static LocalInfrastructureMode Resolve(IConfiguration configuration)
    {
        var setting = configuration[SettingName]?.Trim().ToLowerInvariant();
        return setting switch
        {
            "containers" => LocalInfrastructureMode.Containers,
            "processes" => LocalInfrastructureMode.Processes,
            null or "" or "auto" => ContainerRuntimeAnswers("docker") || ContainerRuntimeAnswers("podman")
                ? LocalInfrastructureMode.Containers
                : LocalInfrastructureMode.Processes,
            _ => throw new InvalidOperationException(
                $"{SettingName} must be 'auto', 'containers' or 'processes' (was '{configuration[SettingName]}')."),
        };
    }

    private static bool ContainerRuntimeAnswers(string cli)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(cli, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            // A client with no engine behind it (as on these machines) fails fast; a hung engine counts as absent.
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the CLI is not installed
        }
    }
}
