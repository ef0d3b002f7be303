using LeadGen.Core.Leads;

namespace LeadGen.Core.Agent;

/// <summary>
/// The lead as every agent prompt describes it — the phone agent (native audio and ConversationRelay) and the text
/// agent alike: the first name the script greets, and the facts under "About this lead" (name, company, role; never the
/// phone number or e-mail). One builder, so a lead is presented to the model the same way on every channel.
/// </summary>
public static class LeadPrompt
{
    /// <summary>The campaign's script addressed to the lead (by first name; no name when the lead is unknown).</summary>
    public static AgentScript Script(AgentCampaign campaign, Lead? lead) => new(campaign, FirstName(lead?.Name));

    /// <summary>One known fact per line ("Name: …", "Company: …", "Role: …"); null when nothing is known.</summary>
    public static string? Facts(Lead? lead)
    {
        if (lead is null)
        {
            return null;
        }

        var facts = new[]
        {
            Fact("Name", lead.Name),
            Fact("Company", lead.Company),
            Fact("Role", lead.Role),
        }.OfType<string>().ToList();
        return facts.Count == 0 ? null : string.Join("\n", facts);
    }

    public static string FirstName(string? name) =>
        name?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;

    private static string? Fact(string label, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{label}: {value.Trim()}";
}
