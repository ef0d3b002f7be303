using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Telephony;

public sealed class StreamTokensTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_fresh_token_verifies_to_its_call()
    {
        var tokens = Tokens("key-one");
        var callId = Guid.NewGuid();

        var check = tokens.Verify(tokens.Issue(callId));

        Assert.True(check.IsValid);
        Assert.Equal(callId, check.CallId);
    }

    [Fact]
    public void Expired_tampered_foreign_and_malformed_tokens_fail()
    {
        var tokens = Tokens("key-one");
        var token = tokens.Issue(Guid.NewGuid());
        var parts = token.Split('.');

        Assert.False(Tokens("key-two").Verify(token).IsValid);
        Assert.False(tokens.Verify($"{parts[0]}.{Guid.NewGuid():N}.{parts[2]}.{parts[3]}").IsValid);
        Assert.False(tokens.Verify($"{parts[0]}.{parts[1]}.{long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) + 3600}.{parts[3]}").IsValid);
        Assert.False(tokens.Verify(null).IsValid);
        Assert.False(tokens.Verify("v1.x.y").IsValid);
        Assert.False(tokens.Verify("v1.a.b.!!!").IsValid);

        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("expired token", tokens.Verify(token).Problem);
    }

    private StreamTokens Tokens(string key) => new(
        Options.Create(new TelephonyOptions { StreamTokenKey = key, StreamTokenLifetime = TimeSpan.FromMinutes(2) }),
        Options.Create(new TwilioOptions()),
        _time,
        NullLogger<StreamTokens>.Instance);
}
