using LeadGen.Core.Agent;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Builds the live call's prompt from the call, its campaign and lead with the agent's <see cref="SystemPromptBuilder"/>;
/// the opening line is the agent script's disclosure (AI + recording + opt-out) plus the keypad opt-out. The lead and
/// campaign ids travel in the context, so the call's tools never reload the call row.
/// </summary>
public sealed class CallContextProvider(CallStore calls, CampaignStore campaigns, LeadStore leads, AgentLiveCallTools tools, IOptions<LiveCallOptions> options) : ICallContextProvider
{
    public const string KeypadOptOut = "You can also press 9 at any time to stop our calls.";

    public async Task<LiveCallContext> LoadAsync(Guid callId, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(callId, cancellationToken);
        var campaign = call?.CampaignId is { } campaignId ? await campaigns.GetAsync(campaignId, cancellationToken) : null;
        var lead = call?.LeadId is { } leadId ? await leads.GetAsync(leadId, cancellationToken) : null;

        var script = LeadPrompt.Script(ToAgentCampaign(campaign), lead);
        var instruction = SystemPromptBuilder.Build(script, LeadPrompt.Facts(lead))
            + "\n## Phone call\nThis is a live phone call: speak naturally and briefly. The caller can press 9 on the keypad to opt out."
            + " Use end_call when the conversation is over and transfer_to_human when they want a person.";
        return new LiveCallContext(
            callId,
            instruction,
            script.Disclosure + " " + KeypadOptOut,
            tools.Declarations,
            campaign?.Settings.TransferNumber ?? options.Value.DefaultTransferNumber,
            call?.LeadId,
            call?.CampaignId,
            campaign?.Settings.Language ?? "en-US",
            campaign?.Settings.Voice,
            campaign?.Settings.TurnTaking);
    }

    /// <summary>Inbound callers who match no campaign get a neutral agent (no qualification questions).</summary>
    private static AgentCampaign ToAgentCampaign(Campaign? campaign) => campaign?.ToAgentCampaign() ?? new AgentCampaign
    {
        Id = Guid.Empty,
        Name = "Inbound",
        CompanyName = "our company",
        Questions = [],
    };
}
