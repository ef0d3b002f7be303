using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Analysis;
using LeadGen.Core.Campaigns;

namespace LeadGen.Agent.Tests.Agent;

/// <summary>The campaign's language reaches the agent's prompt and the post-call analysis instructions.</summary>
public sealed class CampaignLanguageTests
{
    private static Campaign Campaign(string language) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Solar",
        Status = CampaignStatuses.Running,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Settings = new CampaignSettings { Language = language, CompanyName = "Acme Solar" },
    };

    [Theory]
    [InlineData("en-US", "Speak only English (en-US)")]
    [InlineData("es-US", "Speak only Spanish (es-US)")]
    public void The_prompt_tells_the_agent_to_speak_the_campaigns_language_disclosure_included(string language, string expected)
    {
        var prompt = SystemPromptBuilder.Build(new AgentScript(Campaign(language).ToAgentCampaign(), "Dana"));

        Assert.Contains(expected + " for the whole call, including the disclosure", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en-US", "Write summary and nextStep in English (en-US)")]
    [InlineData("es-US", "Write summary and nextStep in Spanish (es-US)")]
    public void The_analysis_is_written_in_the_campaigns_language_with_the_schema_unchanged(string language, string expected)
    {
        var instructions = CallAnalyzer.InstructionsFor(language);

        Assert.Contains(expected + "; JSON keys and enum values stay as specified.", instructions, StringComparison.Ordinal);
        Assert.StartsWith("You analyse a finished sales qualification phone call", CallAnalyzer.InstructionsFor(null), StringComparison.Ordinal);
    }
}
