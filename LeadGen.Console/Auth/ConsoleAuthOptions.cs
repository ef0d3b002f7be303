namespace LeadGen.Console.Auth;

/// <summary>Configuration section <c>Auth</c>: how people sign in to the console and which role each one gets.</summary>
public sealed class ConsoleAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The OpenID Connect issuer (Google by default). Sign-in with it is on when <c>Oidc:ClientId</c> is set.</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>
    /// The allow-list: an e-mail address (<c>ana@example.com</c>) or a domain (<c>example.com</c>) mapped to a role
    /// (viewer, operator, admin). An exact address wins over its domain. Anyone not listed is refused.
    /// </summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// More allow-list entries as one string, <c>ana@example.com=admin; example.com=viewer</c> (separated by <c>;</c>,
    /// <c>,</c> or new lines): how Cloud Run passes the list (env <c>Auth__RoleList</c> from the Secret Manager secret
    /// <c>console-role-list</c>), since e-mail addresses are personal data and stay out of deployment files.
    /// </summary>
    public string? RoleList { get; set; }

    /// <summary><see cref="Roles"/> plus the well-formed entries of <see cref="RoleList"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> AllRoles() => Roles.Concat(ParseRoleList().Where(entry => entry.Value is not null)!);

    /// <summary>The positions (1-based) of <see cref="RoleList"/> entries that are not <c>address-or-domain=role</c>.</summary>
    public IReadOnlyList<int> MalformedRoleListEntries() =>
        [.. ParseRoleList().Select((entry, index) => (entry, index)).Where(pair => pair.entry.Value is null).Select(pair => pair.index + 1)];

    private IEnumerable<KeyValuePair<string, string?>> ParseRoleList() =>
        (RoleList ?? string.Empty).Split([';', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split('=', 2, StringSplitOptions.TrimEntries) is [{ Length: > 0 } who, var role] && ConsoleRoles.IsKnown(role)
                ? new KeyValuePair<string, string?>(who, role)
                : new KeyValuePair<string, string?>(entry, null));

    /// <summary>Failed sign-in or API key attempts from one client address allowed per window before 429.</summary>
    public int MaxFailedAttempts { get; set; } = 10;

    /// <summary>The window for <see cref="MaxFailedAttempts"/>, and how long a client then waits.</summary>
    public TimeSpan FailedAttemptWindow { get; set; } = TimeSpan.FromMinutes(5);

    public bool OidcConfigured => !string.IsNullOrWhiteSpace(Oidc.ClientId);
}

public sealed class OidcOptions
{
    public const string GoogleAuthority = "https://accounts.google.com";

    /// <summary>The issuer URL (its /.well-known/openid-configuration is read). Default: Google accounts.</summary>
    public string Authority { get; set; } = GoogleAuthority;

    public string? ClientId { get; set; }

    /// <summary>The client secret (a secret: Secret Manager / user-secrets, never appsettings).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Shown on the sign-in button.</summary>
    public string DisplayName { get; set; } = "Google";
}
