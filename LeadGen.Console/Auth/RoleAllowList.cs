using Microsoft.Extensions.Options;

namespace LeadGen.Console.Auth;

/// <summary>Maps a verified e-mail address to its console role from <see cref="ConsoleAuthOptions.Roles"/> and <see cref="ConsoleAuthOptions.RoleList"/>.</summary>
public sealed class RoleAllowList(IOptionsMonitor<ConsoleAuthOptions> options)
{
    /// <summary>The role for <paramref name="email"/>, or null when neither the address nor its domain is listed.</summary>
    public string? RoleFor(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.IndexOf('@', StringComparison.Ordinal) is var at && at <= 0 || at == email.Length - 1)
        {
            return null;
        }

        var roles = options.CurrentValue.AllRoles().ToList();
        var address = email.Trim();
        if (Lookup(roles, address) is { } exact)
        {
            return exact;
        }

        return Lookup(roles, address[(address.LastIndexOf('@') + 1)..]);
    }

    private static string? Lookup(List<KeyValuePair<string, string>> roles, string key)
    {
        foreach (var (entry, role) in roles)
        {
            if (string.Equals(entry.Trim().TrimStart('@'), key, StringComparison.OrdinalIgnoreCase) && ConsoleRoles.IsKnown(role))
            {
                return role.Trim().ToLowerInvariant();
            }
        }

        return null;
    }
}
