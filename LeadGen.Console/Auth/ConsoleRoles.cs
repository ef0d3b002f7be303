using System.Security.Claims;

namespace LeadGen.Console.Auth;

/// <summary>
/// The console's roles, each including the ones below it: <c>viewer</c> reads, <c>operator</c> also runs campaigns,
/// imports and tries the agent, <c>admin</c> also erases leads and handles dead letters.
/// </summary>
public static class ConsoleRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>Rank of a role name (case-insensitive); -1 for anything else.</summary>
    public static int Rank(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        Viewer => 0,
        Operator => 1,
        Admin => 2,
        _ => -1,
    };

    public static bool IsKnown(string? role) => Rank(role) >= 0;

    /// <summary>True when the user holds <paramref name="required"/> or a role above it.</summary>
    public static bool HasAtLeast(ClaimsPrincipal user, string required) =>
        user.Identity?.IsAuthenticated == true
        && user.FindAll(ClaimTypes.Role).Any(claim => Rank(claim.Value) >= Rank(required));

    /// <summary>The highest role the user holds, or null.</summary>
    public static string? Highest(ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Select(claim => claim.Value).Where(IsKnown).OrderByDescending(Rank).FirstOrDefault();
}

/// <summary>Authorization policy names: one per role, plus the machines' key for /api.</summary>
public static class ConsolePolicies
{
    public const string Viewer = "console-viewer";
    public const string Operator = "console-operator";
    public const string Admin = "console-admin";
    public const string ManagementApi = "management-api";
}
