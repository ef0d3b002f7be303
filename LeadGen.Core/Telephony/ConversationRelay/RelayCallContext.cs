using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Who a ConversationRelay call talks to and what the agent starts with: the call's campaign and lead, the agent
/// script, and the greeting Twilio speaks on connect (the same for the voice webhook and the socket, so the transcript's
/// first turn is exactly what was said).
/// </summary>
public sealed class RelayCallContexts(CallStore calls, CampaignStore campaigns, LeadStore leads, IOptions<TelephonyOptions> telephony)
{
    /// <summary>
    /// The call's relay context, or null when the call is not a conversation_relay campaign's lead (unknown inbound
    /// callers keep the native-audio path: the text agent's tools need a lead).
    /// </summary>
    public async Task<RelayCallContext?> LoadAsync(Guid callId, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(callId, cancellationToken);
        var campaign = call?.CampaignId is { } campaignId ? await campaigns.GetAsync(campaignId, cancellationToken) : null;
        if (call?.LeadId is null || campaign is not { Settings.VoiceMode: VoiceModes.ConversationRelay })
        {
            return null;
        }

        var lead = await leads.GetAsync(call.LeadId.Value, cancellationToken);
        var script = LeadPrompt.Script(campaign.ToAgentCampaign(), lead);
        var questions = script.Campaign.Questions;
        var greeting = script.Disclosure + " " + CallContextProvider.KeypadOptOut + (questions.Count > 0 ? " " + questions[0].Text : string.Empty);
        return new RelayCallContext(
            call,
            campaign,
            script,
            new RelayGreeting(greeting, campaign.Settings.Language, campaign.Settings.Voice),
            LeadPrompt.Facts(lead),
            campaign.Settings.TransferNumber ?? telephony.Value.TransferNumber);
    }
}

public sealed record RelayCallContext(Call Call, Campaign Campaign, AgentScript Script, RelayGreeting Greeting, string? LeadContext, string? TransferNumber)
{
    /// <summary>The call as the live call runner sees it: the agent's prompt, the greeting as the opening line, the tools, the transfer number.</summary>
    public LiveCallContext ToLiveCallContext(IReadOnlyList<RealtimeToolDeclaration> tools) =>
        new(Call.Id, SystemPromptBuilder.Build(Script, LeadContext), Greeting.Text, tools, TransferNumber, Call.LeadId, Campaign.Id);

    /// <summary>A fresh agent session whose history already holds the greeting (the lead answers it).</summary>
    public AgentSession NewSession()
    {
        var context = new AgentContext(Call.LeadId!.Value, Campaign.Id, Call.Id);
        List<ChatMessage> history = [new(ChatRole.User, AgentSession.ConnectedCue), new(ChatRole.Assistant, Greeting.Text)];
        return new AgentSession(context, Script, history, new Agent.Tools.ConversationState()) { LeadContext = LeadContext };
    }
}
