using LeadGen.Core.Calls;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Testing.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>
/// The Twilio REST client's resilience, against a local stand-in that fails on demand, registered as the hosts do
/// (the service defaults add the standard retrying handler to every client first): creating a call is sent exactly once
/// even when it fails, since a retried POST could ring the lead twice; fetching a call and hanging up are retried.
/// </summary>
public sealed class TwilioRestClientTests
{
    private const string AccountSid = "AC00000000000000000000000000000003";
    private const string AuthToken = "auth-token-not-a-real-secret";

    [Fact]
    public async Task A_failed_create_call_reaches_twilio_exactly_once_and_is_not_retried()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        using var services = Services(twilio);
        var provider = services.GetRequiredService<ITelephonyProvider>();
        twilio.FailNext(1);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => provider.PlaceCallAsync(Request(), CancellationToken.None));
        var placed = await provider.PlaceCallAsync(Request(), CancellationToken.None);

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        var createRequests = twilio.Requests.Where(request => request.EndsWith("/Calls.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, createRequests.Count); // the failed one (sent once, not retried) and the next explicit call
        Assert.Single(twilio.CreatedCalls);
        Assert.StartsWith("CA", placed.ProviderCallId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_redirect_is_not_retried()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        using var services = Services(twilio);
        var provider = services.GetRequiredService<ITelephonyProvider>();
        twilio.FailNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => provider.RedirectAsync("CA1", "<Response><Hangup/></Response>", CancellationToken.None));

        Assert.Single(twilio.Requests);
        Assert.Empty(twilio.CallUpdates);
    }

    [Fact]
    public async Task Fetching_a_call_and_hanging_up_are_retried_after_a_transient_failure()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        twilio.KnownCalls["CA1"] = new TwilioCallState("in-progress");
        using var services = Services(twilio);
        var provider = services.GetRequiredService<ITelephonyProvider>();

        twilio.FailNext(1);
        var status = await provider.GetCallStatusAsync("CA1", CancellationToken.None);
        twilio.FailNext(TwilioRestClient.MaxRetries);
        await provider.HangUpAsync("CA1", CancellationToken.None);

        Assert.Equal(CallStatuses.InProgress, status?.Status);
        Assert.Equal(2, twilio.Requests.Count(request => request.StartsWith("GET ", StringComparison.Ordinal)));
        Assert.Equal(1 + TwilioRestClient.MaxRetries, twilio.Requests.Count(request => request.StartsWith("POST ", StringComparison.Ordinal)));
        Assert.Equal("completed", Assert.Single(twilio.CallUpdates).Form["Status"]);
    }

    private static ServiceProvider Services(FakeTwilioRestApi twilio)
    {
        var services = new ServiceCollection();
        // As LeadGen.ServiceDefaults does for every host: the Twilio client must not inherit this retrying handler.
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddSingleton(Options.Create(new TwilioOptions { AccountSid = AccountSid, AuthToken = AuthToken, ApiBaseUrl = twilio.BaseUrl }));
        services.AddSingleton(Options.Create(new TelephonyOptions { PublicBaseUrl = new Uri("https://voice.example.test/") }));
        services.AddTwilioRestClient();
        services.AddSingleton<ITelephonyProvider, TwilioTelephonyProvider>();
        return services.BuildServiceProvider();
    }

    private static PlaceCallRequest Request() => new(
        Guid.NewGuid(), "+15550100001", "+15550100002",
        new Uri("https://voice.example.test/telephony/twilio/voice"), new Uri("https://voice.example.test/telephony/twilio/status"), DetectAnsweringMachine: false);
}
