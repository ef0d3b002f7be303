using LeadGen.Console.Auth;
using LeadGen.Core.Calls.Browser;
using LeadGen.Core.Calls.Control;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Gemini.Live;

namespace LeadGen.Console.Calls;

/// <summary>
/// The console's call features: operators' hang-up/transfer of live calls (in-process, from the Live calls page) and
/// the voice test call's socket (<c>GET /calls/browser?leadId=</c>, WebSocket): signed-in operators only (cookie),
/// from this console's own pages only (the upgrade's Origin must be this host: a cookie alone would let any site open
/// it). Refusals come before the upgrade as ProblemDetails: 400 not a WebSocket / bad lead id, 403 foreign origin,
/// 404 unknown lead, 409 lead not callable or already in a call, 503 no voice model configured.
/// </summary>
public static class ConsoleCallsEndpoints
{
    public const string Path = "/calls/browser";

    /// <summary>Voice test calls (browser transport + live voice model) and operators' hang-up/transfer of live calls.</summary>
    public static WebApplicationBuilder AddLeadGenConsoleCalls(this WebApplicationBuilder builder)
    {
        builder.AddLeadGenLiveCalls();
        builder.AddLeadGenBrowserCalls();
        builder.AddLeadGenCallControl();
        builder.AddLeadGenGeminiLive(); // the live voice model; offline Gemini means "not configured", said on the page
        return builder;
    }

    public static WebApplication MapLeadGenConsoleCalls(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapGet(Path, RunAsync).RequireAuthorization(ConsolePolicies.Operator);
        return app;
    }

    private static async Task<IResult> RunAsync(HttpContext context, BrowserTestCalls calls, CancellationToken ct)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problem(StatusCodes.Status400BadRequest, "Not a WebSocket request", "Open this address as a WebSocket from the console's Try the agent page.");
        }

        if (!SameOrigin(context.Request))
        {
            return Problem(StatusCodes.Status403Forbidden, "Foreign origin", "Voice test calls can only be opened from this console's own pages.");
        }

        if (!Guid.TryParse(context.Request.Query["leadId"], out var leadId))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid lead id", "'leadId' must be the id (a GUID) of the lead to talk as.");
        }

        var start = await calls.StartAsync(leadId, ct);
        if (start.Refusal is { } refusal)
        {
            return refusal.Kind switch
            {
                BrowserCallRefusalKind.NotConfigured => Problem(StatusCodes.Status503ServiceUnavailable, "No voice model configured", refusal.Message),
                BrowserCallRefusalKind.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", refusal.Message),
                _ => Problem(StatusCodes.Status409Conflict, "Lead cannot be called", refusal.Message),
            };
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await calls.RunAsync(socket, start.CallId!.Value, context.RequestAborted);
        return Results.Empty;
    }

    private static bool SameOrigin(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin)
        && string.Equals(origin.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
