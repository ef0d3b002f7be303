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
