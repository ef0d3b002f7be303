using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Testing.Twilio;

/// <summary>One update of a live call received by <see cref="FakeTwilioRestApi"/> (form fields as posted).</summary>
public sealed record TwilioCallUpdate(string AccountSid, string CallSid, IReadOnlyDictionary<string, string> Form);

/// <summary>What <see cref="FakeTwilioRestApi"/> answers for a fetched call: Twilio's status (e.g. "no-answer") and duration.</summary>
public sealed record TwilioCallState(string Status, int? DurationSeconds = null);

/// <summary>
/// A stand-in for Twilio's REST Calls API on 127.0.0.1 (use as <c>Twilio:ApiBaseUrl</c>): <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Calls.json</c> (create a call: 201 with the new call's sid, status queued), <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c> with HTTP Basic auth (account SID : auth token, or API key SID : secret) and a
/// form (<c>Twiml</c> to redirect, <c>Status=completed</c> to hang up), answered with a call resource or Twilio's error
/// JSON (401 bad credentials; 400 code 21220 for calls marked as no longer in progress); and <c>GET</c> of the same
/// resource (fetch a call), answered from <see cref="KnownCalls"/> with the Call resource's fields (status with dashes,
/// duration as a string of seconds, null until the call ends) or Twilio's 404 (code 20404) for a call it does not know.
/// <see cref="FailNext"/> makes the next requests fail with a 503 (Twilio's error JSON), as during an outage.
/// </summary>
public sealed class FakeTwilioRestApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTwilioRestApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<TwilioCallUpdate> CallUpdates { get; } = new();

    /// <summary>Calls a GET can fetch, by CallSid.</summary>
    public ConcurrentDictionary<string, TwilioCallState> KnownCalls { get; } = new();

    /// <summary>CallSids fetched with GET, in order.</summary>
    public ConcurrentQueue<string> Fetches { get; } = new();

    /// <summary>Every request that reached the server (method and path), failed ones included.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The forms of calls created (successfully), in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> CreatedCalls { get; } = new();

    private int _failuresLeft;

    /// <summary>The next <paramref name="count"/> requests (any route, after authentication) get 503 Service Unavailable.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    private bool TakeFailure()
    {
        while (Volatile.Read(ref _failuresLeft) is var left and > 0)
        {
            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
            {
                return true;
            }
        }

        return false;
    }

    private static IResult Unavailable() =>
        Results.Json(new { code = 20503, message = "Service Unavailable", more_info = "https://www.twilio.com/docs/errors/20503", status = 503 }, statusCode: 503);

    /// <summary>CallSids Twilio refuses to change because the call has ended.</summary>
    public ConcurrentDictionary<string, bool> EndedCalls { get; } = new();

    /// <summary>Accepts HTTP Basic auth with the account SID and auth token.</summary>
    public static Task<FakeTwilioRestApi> StartAsync(string accountSid, string authToken) => StartAsync(accountSid, accountSid, authToken);

    /// <summary>
    /// Accepts only HTTP Basic auth as <paramref name="user"/> : <paramref name="password"/> — e.g. an API key's SID and
    /// secret, which Twilio accepts for the account in the URL; anything else (the auth token included) gets 401.
    /// </summary>
    public static async Task<FakeTwilioRestApi> StartAsync(string accountSid, string user, string password)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, FreePort.Next()));
        var app = builder.Build();
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var api = default(FakeTwilioRestApi);
        app.Use(async (http, next) =>
        {
            api!.Requests.Enqueue($"{http.Request.Method} {http.Request.Path}");
            await next(http);
        });
        app.MapPost("/2010-04-01/Accounts/{account}/Calls.json", async (HttpContext http, string account) =>
        {
            if (http.Request.Headers.Authorization != expectedAuth || account != accountSid)
            {
                return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
            }

            if (api!.TakeFailure())
            {
                return Unavailable();
            }

            var form = await http.Request.ReadFormAsync();
            if (!form.ContainsKey("To") || !form.ContainsKey("From") || !form.ContainsKey("Url"))
            {
                return Results.Json(new { code = 21201, message = "No 'To', 'From' or 'Url' specified", status = 400 }, statusCode: 400);
            }

            var callSid = "CA" + Guid.NewGuid().ToString("N");
            api.CreatedCalls.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            return Results.Json(new { sid = callSid, account_sid = account, status = "queued" }, statusCode: 201);
        });
        app.MapPost("/2010-04-01/Accounts/{account}/Calls/{resource}", async (HttpContext http, string account, string resource) =>
        {
            if (http.Request.Headers.Authorization != expectedAuth || account != accountSid)
            {
                return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
            }

            if (!resource.EndsWith(".json", StringComparison.Ordinal) || !http.Request.HasFormContentType)
            {
                return Results.Json(new { code = 20001, message = "Bad request", status = 400 }, statusCode: 400);
            }

            if (api!.TakeFailure())
            {
                return Unavailable();
            }

            var callSid = resource[..^".json".Length];
            var form = await http.Request.ReadFormAsync();
            api!.CallUpdates.Enqueue(new TwilioCallUpdate(account, callSid, form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            if (api.EndedCalls.ContainsKey(callSid))
            {
                return Results.Json(new { code = 21220, message = "Call is not in-progress. Cannot redirect.", status = 400 }, statusCode: 400);
            }

            return Results.Json(new { sid = callSid, account_sid = account, status = form.ContainsKey("Status") ? "completed" : "in-progress" });
        });
        app.MapGet("/2010-04-01/Accounts/{account}/Calls/{resource}", (HttpContext http, string account, string resource) =>
        {
            if (http.Request.Headers.Authorization != expectedAuth || account != accountSid)
            {
                return Results.Json(new { code = 20003, message = "Authenticate", more_info = "https://www.twilio.com/docs/errors/20003", status = 401 }, statusCode: 401);
            }

            if (api!.TakeFailure())
            {
                return Unavailable();
            }

            var callSid = resource.EndsWith(".json", StringComparison.Ordinal) ? resource[..^".json".Length] : resource;
            api.Fetches.Enqueue(callSid);
            if (!api.KnownCalls.TryGetValue(callSid, out var call))
            {
                return Results.Json(new
                {
                    code = 20404,
                    message = $"The requested resource /2010-04-01/Accounts/{account}/Calls/{callSid}.json was not found",
                    more_info = "https://www.twilio.com/docs/errors/20404",
                    status = 404,
                }, statusCode: 404);
            }

            return Results.Json(new Dictionary<string, object?>
            {
                ["sid"] = callSid,
                ["account_sid"] = account,
                ["api_version"] = "2010-04-01",
                ["direction"] = "outbound-api",
                ["status"] = call.Status,
                ["duration"] = call.DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["answered_by"] = null,
                ["uri"] = $"/2010-04-01/Accounts/{account}/Calls/{callSid}.json",
            });
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        api = new FakeTwilioRestApi(app, new Uri($"http://127.0.0.1:{address.Port}/"));
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
