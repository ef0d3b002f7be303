using System.Net.WebSockets;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Stream and ConversationRelay connection tokens are single-use and short-lived: a token shown a second time, or after
/// it expired (signed with the real key, so only its age is wrong), closes the socket with 1008 before any model
/// session opens (the fake Gemini Live server, or a counter around the text agent's chat client, sees nothing).
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class TokenReplayTests(SharedServers servers)
{
    [Fact]
    public async Task A_media_stream_token_works_once_and_a_replay_opens_no_model_session()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();
        string? issued = null;

        var first = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            TamperStreamParameters = parameters =>
            {
                issued = parameters[TwiML.StreamTokenParameter];
                return parameters;
            },
            Script = [new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(300)), new CallerStep.HangUp()],
        }, http, CancellationToken.None);
        Assert.True(first.AgentFramesReceived > 0, "the genuine token did not carry a call");
        await Eventually.WaitForAsync(() => Task.FromResult(gemini.Connections), connections => connections == 1);
        var turnsAfterFirst = await host.CountAsync("SELECT count(*) FROM call_turns");

        var replayed = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            TamperStreamParameters = _ => new Dictionary<string, string> { [TwiML.StreamTokenParameter] = issued! },
            Script = [new CallerStep.Pause(TimeSpan.FromSeconds(2))],
        }, http, CancellationToken.None);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, replayed.CloseStatus);
        Assert.Equal(0, replayed.AgentFramesReceived);
        Assert.Equal(1, gemini.Connections);
        Assert.Equal(turnsAfterFirst, await host.CountAsync("SELECT count(*) FROM call_turns"));
    }

    [Fact]
    public async Task A_late_media_stream_token_is_refused_and_opens_no_model_session()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();
        var late = IssuedAnHourAgo(call.Id);

        var result = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            TamperStreamParameters = _ => new Dictionary<string, string> { [TwiML.StreamTokenParameter] = late },
            Script = [new CallerStep.Pause(TimeSpan.FromSeconds(2))],
        }, http, CancellationToken.None);

        Assert.True(result.StreamOpened);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.Equal(0, gemini.Connections);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM call_turns"));
        Assert.Equal(CallStatuses.Initiated, (await host.Calls.GetAsync(call.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Replayed_and_late_relay_tokens_are_refused_before_the_agent_is_asked_anything()
    {
        var chats = new ChatCounter();
        await using var host = await VoiceApiHost.StartAsync(servers, null, new Dictionary<string, string?>
        {
            ["Telephony:ConversationRelay:WordsPerMinute"] = "6000",
        }, web => web.ConfigureServices(services => chats.Wrap(services)));
        var (_, lead, call) = await host.CreateOutboundCallAsync(settings: VoiceApiHost.DefaultCampaign with { VoiceMode = VoiceModes.ConversationRelay });
        using var http = new HttpClient();
        string? issued = null;

        var first = await SimulatedRelayCall.RunAsync(RelayOptions(host, call, lead.Phone!, new ScriptedRelayCaller(new RelayCallerAction.Say("Hello?"), new RelayCallerAction.HangUp())) with
        {
            TamperParameters = parameters =>
            {
                issued = parameters[ConversationRelayTwiML.TokenParameter];
                return parameters;
            },
        }, http, CancellationToken.None);
        Assert.NotEqual(WebSocketCloseStatus.PolicyViolation, first.CloseStatus);
        var asked = await Eventually.WaitForAsync(() => Task.FromResult(chats.Calls), calls => calls > 0);
        var turnsAfterFirst = await host.CountAsync("SELECT count(*) FROM call_turns");

        foreach (var token in new[] { issued!, IssuedAnHourAgo(call.Id) })
        {
            var refused = await SimulatedRelayCall.RunAsync(RelayOptions(host, call, lead.Phone!, new ScriptedRelayCaller(new RelayCallerAction.Say("Hello again?"))) with
            {
                TamperParameters = _ => new Dictionary<string, string> { [ConversationRelayTwiML.TokenParameter] = token },
            }, http, CancellationToken.None);

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, refused.CloseStatus);
            Assert.Empty(refused.AgentReplies.Skip(1)); // at most the welcome greeting, which Twilio speaks from the TwiML
        }

        Assert.Equal(asked, chats.Calls);
        Assert.Equal(turnsAfterFirst, await host.CountAsync("SELECT count(*) FROM call_turns"));
    }

    /// <summary>A token for <paramref name="callId"/> signed with the host's key, issued an hour ago (long expired).</summary>
    private static string IssuedAnHourAgo(Guid callId)
    {
        var anHourAgo = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var tokens = new StreamTokens(
            Options.Create(new TelephonyOptions()), Options.Create(new TwilioOptions { AuthToken = VoiceApiHost.AuthToken }), anHourAgo, NullLogger<StreamTokens>.Instance);
        return tokens.Issue(callId);
    }

    private static SimulatedRelayCallOptions RelayOptions(VoiceApiHost host, Call call, string phone, IRelayCaller caller) => new()
    {
        VoiceUrl = host.VoiceUrl(call.Id),
        StatusCallbackUrl = host.StatusUrl(call.Id),
        AuthToken = VoiceApiHost.AuthToken,
        Caller = caller,
        To = phone,
        WordsPerMinute = 6000,
        MaxDuration = TimeSpan.FromSeconds(30),
    };

    /// <summary>Counts every request to the text agent's chat client (the relay's "model session").</summary>
    private sealed class ChatCounter
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Wrap(IServiceCollection services)
        {
            var inner = services.Last(descriptor => descriptor.ServiceType == typeof(IChatClient) && !descriptor.IsKeyedService);
            services.Add(ServiceDescriptor.Singleton<IChatClient>(provider => new Counting(
                (IChatClient)(inner.ImplementationInstance ?? inner.ImplementationFactory!(provider)), this)));
        }

        private sealed class Counting(IChatClient inner, ChatCounter counter) : DelegatingChatClient(inner)
        {
            public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref counter._calls);
                return base.GetResponseAsync(messages, options, cancellationToken);
            }

            public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref counter._calls);
                return base.GetStreamingResponseAsync(messages, options, cancellationToken);
            }
        }
    }
}
