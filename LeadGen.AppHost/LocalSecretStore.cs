using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace LeadGen.AppHost;

/// <summary>
/// Run-mode secrets for the local stack (the Postgres and Redis passwords, the management API key), generated on first
/// use and kept in the git-ignored local data folder with owner-only permissions, so persisted data stays usable.
/// A value set in configuration (<c>Parameters:NAME</c>, e.g. user secrets or an environment variable) wins.
/// </summary>
internal sealed class LocalSecretStore(string directory, IConfiguration configuration)
{
    /// <summary>Where run mode keeps the generated secrets: <c>secrets/</c> under the local data folder.</summary>
    public static string DirectoryFor(IDistributedApplicationBuilder builder) => Path.Combine(
        Path.GetFullPath(builder.Configuration[DataStoreExtensions.LocalDataPathSetting] ?? Path.Combine(builder.AppHostDirectory, "..", ".localdata")),
        "secrets");

    /// <summary>Where the value of <paramref name="name"/> comes from, for people (never the value itself).</summary>
    public string Describe(string name) => !string.IsNullOrEmpty(configuration[$"Parameters:{name}"])
        ? $"set in configuration (Parameters:{name})"
        : Path.Combine(directory, name);

    public string GetOrCreate(string name)
    {
        var configured = configuration[$"Parameters:{name}"];
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var path = Path.Combine(directory, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(directory);
        var value = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        File.WriteAllText(path, value);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return value;
    }
}
