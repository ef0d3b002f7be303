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

/// <summary>
/// A stand-in for Twilio's REST Calls API on 127.0.0.1 (use as <c>Twilio:ApiBaseUrl</c>): <c>POST
/// /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json</c> with HTTP Basic auth (account SID : auth token) and a
/// form (<c>Twiml</c> to redirect, <c>Status=completed</c> to hang up), answered with a call resource or Twilio's error
/// JSON (401 bad credentials; 400 code 21220 for calls marked as no longer in progress).
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

    /// <summary>CallSids Twilio refuses to change because the call has ended.</summary>
    public ConcurrentDictionary<string, bool> EndedCalls { get; } = new();

    public static async Task<FakeTwilioRestApi> StartAsync(string accountSid, string authToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, FreePort.Next()));
        var app = builder.Build();
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}"));
        var api = default(FakeTwilioRestApi);
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

            var callSid = resource[..^".json".Length];
            var form = await http.Request.ReadFormAsync();
            api!.CallUpdates.Enqueue(new TwilioCallUpdate(account, callSid, form.ToDictionary(f => f.Key, f => f.Value.ToString())));
            if (api.EndedCalls.ContainsKey(callSid))
            {
                return Results.Json(new { code = 21220, message = "Call is not in-progress. Cannot redirect.", status = 400 }, statusCode: 400);
            }

            return Results.Json(new { sid = callSid, account_sid = account, status = form.ContainsKey("Status") ? "completed" : "in-progress" });
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
