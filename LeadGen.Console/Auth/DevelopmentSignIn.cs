using System.Net;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Auth;

/// <summary>
/// The local sign-in: only in the Development environment, only when no OpenID Connect issuer is configured, and only
/// for a client on a loopback address. The signed-in user is marked so the page says it is a development sign-in.
/// </summary>
public sealed class DevelopmentSignIn(IHostEnvironment environment, IOptionsMonitor<ConsoleAuthOptions> options)
{
    public const string MarkerClaim = "leadgen:development-sign-in";

    public bool IsAvailableTo(HttpContext context) =>
        environment.IsDevelopment()
        && !options.CurrentValue.OidcConfigured
        && context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
