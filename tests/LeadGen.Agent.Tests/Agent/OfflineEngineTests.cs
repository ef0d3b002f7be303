using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Analysis;
using LeadGen.Core.Agent.Extraction;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Agent.Tests.Agent;

public sealed class OfflineEngineTests
{
    private static readonly AgentCampaign Campaign = new()
    {
        Id = Guid.NewGuid(),
        Name = "Spring",
        CompanyName = "Acme",
        Questions =
        [
            new AgentQuestion("need", "Do you need faster follow-up?", AnswerKind.YesNo),
            new AgentQuestion("budget", "What budget do you have?", AnswerKind.Money),
        ],
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Is_deterministic_and_calls_tools_before_speaking()
    {
        var script = new AgentScript(Campaign, "Jane");
        List<ChatMessage> history = [new(ChatRole.User, AgentSession.ConnectedCue), new(ChatRole.Assistant, script.Disclosure + " " + Campaign.Questions[0].Text), new(ChatRole.User, "Yes we do")];
        var options = new ChatOptions().WithScript(script);
        var engine = new OfflineChatClient(_time, NullLogger<OfflineChatClient>.Instance);

        var first = await engine.GetResponseAsync(history, options);
        var again = await engine.GetResponseAsync(history, options);

        var call = Assert.Single(first.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal("record_lead_details", call.Name);
        Assert.Equal(call.Arguments, Assert.Single(again.Messages[0].Contents.OfType<FunctionCallContent>()).Arguments);
        Assert.Equal("offline", first.ModelId);

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "ok")]));
        var spoken = await engine.GetResponseAsync(history, options);
        Assert.Equal("Thank you. What budget do you have?", spoken.Text);
    }

    [Fact]
    public async Task Analysis_json_passes_the_same_schema_check_as_a_models()
    {
        var engine = new OfflineChatClient(_time, NullLogger<OfflineChatClient>.Instance);
        var input = new AnalysisInput(Campaign.Questions, [
            new TranscriptLine(false, "Hi, this is Alex. Do you need faster follow-up?"),
            new TranscriptLine(true, "No, we're fine."),
            new TranscriptLine(false, "What budget do you have?"),
            new TranscriptLine(true, "Nothing really."),
        ], "disqualified");

        var response = await engine.GetResponseAsync("analyse", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }.WithAnalysisInput(input));
        var analysis = CallAnalysisSchema.Parse(response.Text);

        Assert.False(analysis.Qualified);
        Assert.Equal(1, analysis.Bant.Need);
        Assert.Equal(1, analysis.Bant.Budget);
        Assert.Contains("Offline analysis", analysis.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_check_rejects_out_of_range_scores_and_missing_fields()
    {
        var error = Assert.Throws<InvalidCallAnalysisException>(() => CallAnalysisSchema.Parse(
            """{"summary":"s","bant":{"budget":7,"authority":1,"need":1,"timeline":1},"overallScore":50,"qualified":false}"""));

        Assert.Contains("/bant/budget", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCallAnalysisException>(() => CallAnalysisSchema.Parse("not json"));
    }

    [Fact]
    public void System_prompt_carries_persona_facts_questions_disclosure_and_opt_out()
    {
        var campaign = Campaign with { AgentName = "Ava", Facts = ["Plans start at $499 per month."], AdditionalInstructions = "Never discuss competitors." };
        var prompt = SystemPromptBuilder.Build(new AgentScript(campaign, "Jane"), "Company: Globex");

        Assert.Contains("You are Ava", prompt, StringComparison.Ordinal);
        Assert.Contains("an AI assistant calling on behalf of Acme", prompt, StringComparison.Ordinal);
        Assert.Contains("mark_do_not_call", prompt, StringComparison.Ordinal);
        Assert.Contains("- Plans start at $499 per month.", prompt, StringComparison.Ordinal);
        Assert.True(prompt.IndexOf("[need]", StringComparison.Ordinal) < prompt.IndexOf("[budget]", StringComparison.Ordinal));
        Assert.Contains("Company: Globex", prompt, StringComparison.Ordinal);
        Assert.Contains("Never discuss competitors.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Mode_defaults_to_offline_without_google_settings()
    {
        Assert.Equal(GeminiMode.Offline, new GeminiOptions().ResolveMode());
        Assert.Equal(GeminiMode.Vertex, new GeminiOptions { Project = "p" }.ResolveMode());
        Assert.Equal(GeminiMode.ApiKey, new GeminiOptions { ApiKey = "k" }.ResolveMode());
        Assert.Equal(GeminiMode.Offline, new GeminiOptions { Mode = "offline", ApiKey = "k" }.ResolveMode());
        Assert.Throws<InvalidOperationException>(() => new GeminiOptions { Mode = "openai" }.ResolveMode());
    }
}
