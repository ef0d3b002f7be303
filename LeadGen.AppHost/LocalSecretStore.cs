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
