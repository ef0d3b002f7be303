using LeadGen.Core.Calls;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Testing.Twilio;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>
/// Each Twilio secret has one job (issue 18): the REST API authenticates with an API key (Basic auth, user = the key's
/// SID), the auth token only validates webhooks, and stream tokens have their own key — so rotating one leaves the
/// others working. The fake REST API accepts exactly one user:password pair, as Twilio does for a given credential.
/// </summary>
public sealed class TwilioCredentialsTests
{
    private const string AccountSid = "AC00000000000000000000000000000001";
    private const string ApiKeySid = "SK00000000000000000000000000000002";
    private const string ApiKeySecret = "api-key-secret-not-a-real-secret";
    private const string AuthToken = "auth-token-not-a-real-secret";

    private static TwilioTelephonyProvider Provider(FakeTwilioRestApi twilio, TwilioOptions options)
    {
        options.ApiBaseUrl = twilio.BaseUrl;
        var httpClients = new ServiceCollection().AddTwilioRestClient().Services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new TwilioTelephonyProvider(httpClients, Options.Create(options),
            Options.Create(new TelephonyOptions { PublicBaseUrl = new Uri("https://voice.example.test/") }));
    }

    [Fact]
    public async Task With_an_api_key_the_rest_api_is_called_as_the_key_and_never_with_the_auth_token()
    {
        await using var keyOnly = await FakeTwilioRestApi.StartAsync(AccountSid, ApiKeySid, ApiKeySecret);
        await using var tokenOnly = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);
        var options = new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, ApiKeySecret = ApiKeySecret, AuthToken = AuthToken };
        keyOnly.KnownCalls["CA1"] = new TwilioCallState("in-progress");
        tokenOnly.KnownCalls["CA1"] = new TwilioCallState("in-progress");

        await Provider(keyOnly, options).HangUpAsync("CA1", CancellationToken.None);
        var status = await Provider(keyOnly, new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, ApiKeySecret = ApiKeySecret, AuthToken = AuthToken })
            .GetCallStatusAsync("CA1", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            Provider(tokenOnly, new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, ApiKeySecret = ApiKeySecret, AuthToken = AuthToken })
                .HangUpAsync("CA1", CancellationToken.None));

        // The account stays in the URL; the key authenticates for it.
        var update = Assert.Single(keyOnly.CallUpdates);
        Assert.Equal(AccountSid, update.AccountSid);
        Assert.Equal("completed", update.Form["Status"]);
        Assert.Equal(CallStatuses.InProgress, status?.Status);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(tokenOnly.CallUpdates);
        Assert.DoesNotContain(ApiKeySecret, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotated_auth_token_does_not_break_rest_calls_made_with_the_api_key()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, ApiKeySid, ApiKeySecret);

        await Provider(twilio, new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, ApiKeySecret = ApiKeySecret, AuthToken = "old-token" })
            .HangUpAsync("CA7", CancellationToken.None);
        await Provider(twilio, new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, ApiKeySecret = ApiKeySecret, AuthToken = "new-token" })
            .HangUpAsync("CA8", CancellationToken.None);

        Assert.Equal(["CA7", "CA8"], twilio.CallUpdates.Select(update => update.CallSid));
    }

    [Fact]
    public async Task Without_an_api_key_the_account_sid_and_auth_token_still_work()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, AuthToken);

        await Provider(twilio, new TwilioOptions { AccountSid = AccountSid, AuthToken = AuthToken }).HangUpAsync("CA9", CancellationToken.None);

        Assert.Equal("CA9", Assert.Single(twilio.CallUpdates).CallSid);
    }

    [Fact]
    public async Task Half_an_api_key_is_refused_with_the_settings_to_fix_before_any_request()
    {
        await using var twilio = await FakeTwilioRestApi.StartAsync(AccountSid, ApiKeySid, ApiKeySecret);

        // A key SID without its secret must not silently fall back to the auth token.
        var problem = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Provider(twilio, new TwilioOptions { AccountSid = AccountSid, ApiKeySid = ApiKeySid, AuthToken = AuthToken }).HangUpAsync("CA1", CancellationToken.None));

        Assert.Contains("Twilio:ApiKeySid", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Twilio:ApiKeySecret", problem.Message, StringComparison.Ordinal);
        Assert.Empty(twilio.CallUpdates);
    }

    [Fact]
    public void Stream_tokens_signed_with_their_own_key_survive_an_auth_token_rotation()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 4, 0, 0, TimeSpan.Zero));
        StreamTokens Tokens(string? streamKey, string authToken) => new(
            Options.Create(new TelephonyOptions { StreamTokenKey = streamKey }), Options.Create(new TwilioOptions { AuthToken = authToken }),
            time, NullLogger<StreamTokens>.Instance);
        var callId = Guid.NewGuid();

        var token = Tokens("stream-key", "old-token").Issue(callId);

        Assert.True(Tokens("stream-key", "new-token").Verify(token).IsValid);
        // Without its own key the token is tied to the auth token, and a rotation refuses tokens in flight.
        Assert.False(Tokens(null, "new-token").Verify(Tokens(null, "old-token").Issue(callId)).IsValid);
    }
}
