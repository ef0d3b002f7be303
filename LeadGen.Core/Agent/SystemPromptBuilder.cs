using System.Globalization;
using System.Text;

namespace LeadGen.Core.Agent;

/// <summary>Builds the qualification agent's system instruction from the campaign.</summary>
public static class SystemPromptBuilder
{
    public static string Build(AgentScript script, string? leadContext = null)
    {
        var campaign = script.Campaign;
        var prompt = new StringBuilder();
        prompt.AppendLine(CultureInfo.InvariantCulture, $"You are {campaign.AgentName}, an AI voice assistant making a sales qualification call for {campaign.CompanyName}.");
        prompt.AppendLine(CultureInfo.InvariantCulture, $"Persona: {campaign.Persona ?? "warm, concise and professional; short spoken sentences, one question at a time"}.");
        prompt.AppendLine();
        prompt.AppendLine("## Compliance (always)");
        prompt.AppendLine(CultureInfo.InvariantCulture, $"- Your first turn must say, in substance: \"{script.Disclosure}\"");
        prompt.AppendLine("- You are an AI; never claim or imply to be human. If asked, say you are an AI assistant.");
        prompt.AppendLine("- If the lead asks not to be called again (any wording), call mark_do_not_call, confirm politely, then call end_call with outcome \"do_not_call\".");
        prompt.AppendLine("- If the lead asks for a person, call transfer_to_human.");
        prompt.AppendLine("- If it is a bad time, offer a callback and call schedule_callback with the time they name.");
        prompt.AppendLine();
        prompt.AppendLine("## What you sell");
        if (!string.IsNullOrWhiteSpace(campaign.ProductDescription))
        {
            prompt.AppendLine(campaign.ProductDescription);
        }

        foreach (var fact in campaign.Facts)
        {
            prompt.AppendLine(CultureInfo.InvariantCulture, $"- {fact}");
        }

        prompt.AppendLine("State only these facts; if asked something else, say a specialist will follow up.");
        prompt.AppendLine();
        prompt.AppendLine("## Qualification questions (ask in this order, one per turn; skip any already answered)");
        for (var i = 0; i < campaign.Questions.Count; i++)
        {
            var question = campaign.Questions[i];
            prompt.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. [{question.Key}] {question.Text}");
        }

        prompt.AppendLine();
        prompt.AppendLine("## Tools");
        prompt.AppendLine("- After each answer, call record_lead_details with what you learned (use the question keys above in `answers`; set budget, timeline, isDecisionMaker, need and email when known).");
        prompt.AppendLine("- When every question is answered, thank the lead and call end_call with outcome \"qualified\" (a real need, budget, authority and a timeline) or \"disqualified\".");
        prompt.AppendLine("- Never read tool results aloud verbatim; keep replies under three sentences.");
        prompt.AppendLine();
        prompt.AppendLine("## Language");
        prompt.AppendLine(CultureInfo.InvariantCulture, $"Speak only {LanguageName(campaign.Language)} ({campaign.Language}) for the whole call, including the disclosure (translate it faithfully), even if these instructions are in English.");
        if (!string.IsNullOrWhiteSpace(leadContext))
        {
            prompt.AppendLine();
            prompt.AppendLine("## About this lead");
            prompt.AppendLine(leadContext);
        }

        if (!string.IsNullOrWhiteSpace(campaign.AdditionalInstructions))
        {
            prompt.AppendLine();
            prompt.AppendLine("## Additional instructions");
            prompt.AppendLine(campaign.AdditionalInstructions);
        }

        return prompt.ToString();
    }

    /// <summary>"Spanish" for es-US, so the model gets a name as well as a code; the code itself when unknown.</summary>
    public static string LanguageName(string language)
    {
        try
        {
            return CultureInfo.GetCultureInfo(language).Parent is { Name.Length: > 0 } neutral ? neutral.EnglishName : CultureInfo.GetCultureInfo(language).EnglishName;
        }
        catch (CultureNotFoundException)
        {
            return language;
        }
    }
}
