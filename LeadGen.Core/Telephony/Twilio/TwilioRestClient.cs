using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// The HttpClient <see cref="TwilioTelephonyProvider"/> talks to Twilio's REST API with, from IHttpClientFactory and
/// with its own resilience pipeline instead of the service defaults' standard handler (which retries any method):
/// <list type="bullet">
/// <item>creating a call is never retried: Twilio may have dialled before the answer was lost, and a second POST would
/// ring the lead twice; redirecting a live call is not retried either (a replay restarts the new TwiML);</item>
/// <item>fetching a call and hanging up (<c>Status=completed</c>, the same end state however often it is sent) are
/// retried on transient failures (network errors, 408, 429, 5xx): <see cref="MaxRetries"/> times, exponential backoff
/// from <see cref="FirstRetryDelay"/> with jitter;</item>
/// <item>each attempt has <see cref="AttemptTimeout"/>, the whole operation (retries included) <see cref="TotalTimeout"/>.</item>
/// </list>
/// </summary>
public static class TwilioRestClient
{
    public const string Name = "twilio-rest";
    public const int MaxRetries = 2;
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(40);

    /// <summary>Set on requests that may be sent again with the same effect (fetch, hang up); absent means never retried.</summary>
    public static readonly HttpRequestOptionsKey<bool> RetrySafe = new("LeadGen.Twilio.RetrySafe");

    public static IHttpClientBuilder AddTwilioRestClient(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // Experimental, and the only way to drop the defaults' handler for one client.
        var client = services.AddHttpClient(Name).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan); // the pipeline's timeouts govern
        client.AddResilienceHandler(Name, pipeline => pipeline
            .AddTimeout(TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstRetryDelay,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsRetrySafe(args.Context) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddTimeout(AttemptTimeout));
        return client;
    }

    private static bool IsRetrySafe(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(RetrySafe, out var safe) && safe;
}
