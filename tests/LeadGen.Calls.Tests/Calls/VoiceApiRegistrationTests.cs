using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Gemini;
using LeadGen.Core.Leads;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// The real VoiceApi binds each options class once (every <c>Bind</c> registers one change-token source): Gemini used to
/// be bound by both the text and the Live feature, Telephony by three Add…s.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class VoiceApiRegistrationTests(SharedServers servers)
{
    [Fact]
    public async Task Every_options_class_is_bound_once()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null);

        AssertBoundOnce<GeminiOptions>(host.Services);
        AssertBoundOnce<TelephonyOptions>(host.Services);
        AssertBoundOnce<TwilioOptions>(host.Services);
        AssertBoundOnce<QueueOptions>(host.Services);
        AssertBoundOnce<LiveCallOptions>(host.Services);
        AssertBoundOnce<RecordingOptions>(host.Services);
        AssertBoundOnce<LeadOptions>(host.Services);
        AssertBoundOnce<ConversationRelayOptions>(host.Services);
    }

    private static void AssertBoundOnce<TOptions>(IServiceProvider services)
        where TOptions : class =>
        Assert.Single(services.GetServices<IOptionsChangeTokenSource<TOptions>>());
}
