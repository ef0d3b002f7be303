using LeadGen.Core.Agent.Conversations;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// One lead, three channels: the native-audio phone call, the ConversationRelay phone call and the text conversation
/// each build the agent's prompt in the real VoiceApi, and each carries the same facts about the lead.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class LeadPromptTests(SharedServers servers)
{
    private const string LeadFacts = "## About this lead\nName: Dana Smith\nCompany: Initech\nRole: Head of Facilities\n";

    [Fact]
    public async Task Phone_and_text_prompts_for_the_same_lead_carry_the_same_lead_facts()
    {
        var chat = new CapturingChatClient();
        await using var host = await VoiceApiHost.StartAsync(servers, null, configure: web => web.ConfigureTestServices(services => services.AddSingleton<IChatClient>(chat)));
        var native = await host.Campaigns.CreateAsync("Native", VoiceApiHost.DefaultCampaign, CancellationToken.None);
        var relay = await host.Campaigns.CreateAsync("Relay", VoiceApiHost.DefaultCampaign with { VoiceMode = VoiceModes.ConversationRelay }, CancellationToken.None);
        var nativeLead = await CreateLeadAsync(host, native.Id, "+15550100041");
        var relayLead = await CreateLeadAsync(host, relay.Id, "+15550100042");
        var textLead = await CreateLeadAsync(host, native.Id, "+15550100043");

        var nativeCall = await CreateCallAsync(host, native.Id, nativeLead.Id);
        var phone = (await host.Services.GetRequiredService<ICallContextProvider>().LoadAsync(nativeCall, CancellationToken.None)).SystemInstruction;
        var relayCall = await CreateCallAsync(host, relay.Id, relayLead.Id);
        var relayContext = await host.Services.GetRequiredService<RelayCallContexts>().LoadAsync(relayCall, CancellationToken.None);
        var relayPrompt = relayContext!.ToLiveCallContext([]).SystemInstruction;
        var conversations = host.Services.GetRequiredService<ConversationService>();
        var started = await conversations.StartAsync(textLead.Id, CancellationToken.None);
        await conversations.SendAsync(started.Value!.ConversationId, "Hello?", CancellationToken.None);
        var text = Assert.Single(chat.Instructions);

        foreach (var prompt in new[] { phone, relayPrompt, text })
        {
            Assert.Contains(Normalize(LeadFacts), Normalize(prompt), StringComparison.Ordinal);
            Assert.DoesNotContain("555010004", prompt, StringComparison.Ordinal); // never the phone number
            Assert.DoesNotContain("dana@initech.example", prompt, StringComparison.Ordinal); // nor the e-mail
        }

        Assert.Contains("Hi Dana, this is Ava", relayContext.Greeting.Text, StringComparison.Ordinal);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static async Task<Lead> CreateLeadAsync(VoiceApiHost host, Guid campaignId, string phone) =>
        await host.Leads.CreateAsync(campaignId, new NewLead
        {
            Name = "Dana Smith",
            Phone = phone,
            Email = "dana@initech.example",
            Company = "Initech",
            Role = "Head of Facilities",
        }, CancellationToken.None) ?? throw new InvalidOperationException("lead not created");

    private static async Task<Guid> CreateCallAsync(VoiceApiHost host, Guid campaignId, Guid leadId) =>
        (await host.Calls.CreateAsync(new NewCall
        {
            LeadId = leadId,
            CampaignId = campaignId,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            Status = CallStatuses.Initiated,
        }, CancellationToken.None)).Id;

    /// <summary>The text agent's model: records the instructions it was given and answers with a plain line.</summary>
    private sealed class CapturingChatClient : IChatClient
    {
        public List<string> Instructions { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            lock (Instructions)
            {
                Instructions.Add(options?.Instructions ?? string.Empty);
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Thanks. What budget do you have in mind?")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The text conversation asks for whole replies.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
