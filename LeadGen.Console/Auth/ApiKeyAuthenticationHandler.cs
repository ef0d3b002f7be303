using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using LeadGen.Console.Apis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Auth;

/// <summary>
/// The machines' sign-in for /api: the X-Api-Key header must equal ManagementApi:ApiKey (compared in constant time over
/// SHA-256 digests, so neither content nor length leaks through timing). Wrong keys count against the client's address
/// (<see cref="FailedAttemptLimiter"/>); the attempted key is never logged. Every refusal is a ProblemDetails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<ManagementApiOptions> apiOptions,
    FailedAttemptLimiter limiter,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string RefusalKey = "LeadGen.ApiKeyRefusal";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = apiOptions.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return Task.FromResult(Refuse(Refusal.NotConfigured));
        }

        var presented = Request.Headers[ManagementApiOptions.HeaderName].ToString();
        if (limiter.RetryAfter(Context.Connection.RemoteIpAddress) is { } wait)
        {
            Context.Items[RefusalKey] = new Refusal(Refusal.Kinds.Limited, wait);
            return Task.FromResult(AuthenticateResult.Fail("Too many failed attempts."));
        }

        if (presented.Length == 0)
        {
            return Task.FromResult(Refuse(Refusal.Missing));
        }

        if (!KeysMatch(presented, expected))
        {
            limiter.RecordFailure(Context.Connection.RemoteIpAddress);
            Logger.LogWarning("Refused a management API call with a wrong {Header} from {Client} ({Method} {Path})",
                ManagementApiOptions.HeaderName, Context.Connection.RemoteIpAddress, Request.Method, Request.Path);
            return Task.FromResult(Refuse(Refusal.Wrong));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "management-api-key"), new Claim(ClaimTypes.Role, ConsoleRoles.Admin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refusal = Context.Items[RefusalKey] as Refusal ?? Refusal.Missing;
        switch (refusal.Kind)
        {
            case Refusal.Kinds.NotConfigured:
                await WriteProblemAsync(StatusCodes.Status503ServiceUnavailable, "Management API not configured",
                    "ManagementApi:ApiKey is not set on the server, so the management API refuses every call.");
                break;
            case Refusal.Kinds.Limited:
                Response.Headers.RetryAfter = Math.Ceiling(refusal.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await WriteProblemAsync(StatusCodes.Status429TooManyRequests, "Too many failed attempts",
                    $"Too many wrong keys from this address; try again in {Math.Ceiling(refusal.RetryAfter.TotalSeconds):0} s.");
                break;
            default:
                Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ManagementApiOptions.HeaderName}\"";
                await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
                    refusal.Kind == Refusal.Kinds.Missing
                        ? $"Send the management API key in the {ManagementApiOptions.HeaderName} header."
                        : $"The {ManagementApiOptions.HeaderName} header does not hold a valid key.");
                break;
        }
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The management API key may not do this.");

    private AuthenticateResult Refuse(Refusal refusal)
    {
        Context.Items[RefusalKey] = refusal;
        return refusal.Kind == Refusal.Kinds.Missing ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(refusal.Kind.ToString());
    }

    private static bool KeysMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    private sealed record Refusal(Refusal.Kinds Kind, TimeSpan RetryAfter)
    {
        public enum Kinds { Missing, Wrong, NotConfigured, Limited }

        public static Refusal Missing { get; } = new(Kinds.Missing, TimeSpan.Zero);
        public static Refusal Wrong { get; } = new(Kinds.Wrong, TimeSpan.Zero);
        public static Refusal NotConfigured { get; } = new(Kinds.NotConfigured, TimeSpan.Zero);
    }
}
