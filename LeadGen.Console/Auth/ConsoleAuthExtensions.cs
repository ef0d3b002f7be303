using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace LeadGen.Console.Auth;

/// <summary>
/// Sign-in for the console: people by OpenID Connect (Google by default) with roles from the allow-list, kept in a
/// cookie; machines by the management API key (only on /api). With no issuer configured, the Development environment
/// offers a development sign-in to loopback clients (see <see cref="DevelopmentSignIn"/>).
/// </summary>
public static class ConsoleAuthExtensions
{
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string EmailClaim = "email";

    public static WebApplicationBuilder AddLeadGenConsoleAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleAuthOptions>().BindConfiguration(ConsoleAuthOptions.SectionName);
        builder.Services.AddSingleton<RoleAllowList>();
        builder.Services.AddSingleton<FailedAttemptLimiter>();
        builder.Services.AddSingleton<DevelopmentSignIn>();
        var settings = builder.Configuration.GetSection(ConsoleAuthOptions.SectionName).Get<ConsoleAuthOptions>() ?? new ConsoleAuthOptions();

        var authentication = builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/access-denied";
                options.Cookie.Name = "leadgen.console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (settings.OidcConfigured)
        {
            authentication.AddOpenIdConnect(OidcScheme, options =>
            {
                options.Authority = settings.Oidc.Authority;
                options.ClientId = settings.Oidc.ClientId;
                options.ClientSecret = settings.Oidc.ClientSecret;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("email");
                options.Scope.Add("profile");
                options.MapInboundClaims = false;
                options.SaveTokens = false;
                options.CallbackPath = "/signin-oidc";
                options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.Events.OnRedirectToIdentityProvider = RefuseWhenLimitedAsync;
                options.Events.OnTokenValidated = AssignRoleFromAllowList;
                options.Events.OnRemoteFailure = RecordRemoteFailure;
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.Viewer, policy => policy.RequireAssertion(context => ConsoleRoles.HasAtLeast(context.User, ConsoleRoles.Viewer)))
            .AddPolicy(ConsolePolicies.Operator, policy => policy.RequireAssertion(context => ConsoleRoles.HasAtLeast(context.User, ConsoleRoles.Operator)))
            .AddPolicy(ConsolePolicies.Admin, policy => policy.RequireAssertion(context => ConsoleRoles.HasAtLeast(context.User, ConsoleRoles.Admin)))
            .AddPolicy(ConsolePolicies.ManagementApi, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Authentication and authorization (before the endpoints), and the sign-in / sign-out endpoints.</summary>
    public static WebApplication UseLeadGenConsoleAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/signin/oidc", async (string? returnUrl, HttpContext context, FailedAttemptLimiter limiter) =>
            {
                // Refused here, before the handler reads the issuer's metadata (the redirect event comes after that).
                if (limiter.RetryAfter(context.Connection.RemoteIpAddress) is { } wait)
                {
                    await WriteTooManyAsync(context, wait);
                    return;
                }

                await context.ChallengeAsync(OidcScheme, new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) });
            })
            .AllowAnonymous();
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "The sign-out form expired; reload the page and try again.");
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/signin?signedOut=true");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Only a path on this site (open-redirect protection); anything else becomes the overview.</summary>
    public static string LocalUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";

    private static async Task RefuseWhenLimitedAsync(RedirectContext context)
    {
        var limiter = context.HttpContext.RequestServices.GetRequiredService<FailedAttemptLimiter>();
        if (limiter.RetryAfter(context.HttpContext.Connection.RemoteIpAddress) is { } wait)
        {
            context.HandleResponse();
            await WriteTooManyAsync(context.HttpContext, wait);
        }
    }

    private static Task AssignRoleFromAllowList(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        var email = principal.FindFirst(EmailClaim)?.Value;
        var verified = principal.FindFirst("email_verified")?.Value;
        var role = string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase)
            ? null
            : context.HttpContext.RequestServices.GetRequiredService<RoleAllowList>().RoleFor(email);
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAuthExtensions));
        if (role is null)
        {
            // The domain only: an e-mail address is personal data and stays out of the logs.
            logger.LogWarning("Refused console sign-in: an account at {Domain} is not on the allow-list (or its e-mail is unverified)", DomainOf(email));
            context.HttpContext.RequestServices.GetRequiredService<FailedAttemptLimiter>().RecordFailure(context.HttpContext.Connection.RemoteIpAddress);
            context.Fail("This account is not on the console's allow-list.");
            return Task.CompletedTask;
        }

        var name = principal.FindFirst("name")?.Value ?? email!;
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(EmailClaim, email!), new Claim(ClaimTypes.Role, role)],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        context.Principal = new ClaimsPrincipal(identity);
        logger.LogInformation("Console sign-in as {Role} for an account at {Domain}", role, DomainOf(email));
        return Task.CompletedTask;
    }

    private static Task RecordRemoteFailure(RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<FailedAttemptLimiter>().RecordFailure(context.HttpContext.Connection.RemoteIpAddress);
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAuthExtensions))
            .LogWarning("Console sign-in failed: {Reason}", context.Failure?.GetType().Name ?? "unknown");
        context.Response.Redirect("/signin?error=denied");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    internal static Task WriteTooManyAsync(HttpContext context, TimeSpan wait)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = 429, Title = "Too many failed attempts", Detail = $"Too many failed sign-ins from this address; try again in {Math.Ceiling(wait.TotalSeconds):0} s." },
        }).AsTask();
    }

    private static string DomainOf(string? email) =>
        email?.LastIndexOf('@') is int at and >= 0 ? email[(at + 1)..] : "(no e-mail)";
}
