using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent.Extraction;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Offline;
using LeadGen.Core.Leads;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Agent.Analysis;

/// <summary>
/// Post-call analysis: sends the transcript to the configured engine asking for JSON that matches
/// <see cref="CallAnalysisSchema"/> (Gemini: responseMimeType + responseSchema; offline: rule-based scoring), checks
/// it against the schema, and stores it on the call (analysis, summary) and the lead (score, BANT) in one transaction.
/// Re-running replaces the earlier result, so the analyze-call job may run twice safely.
/// </summary>
public sealed class CallAnalyzer(
    IChatClient chatClient,
    GeminiEngine engine,
    NpgsqlDataSource dataSource,
    CallStore calls,
    CampaignStore campaigns,
    LeadStore leads,
    ILogger<CallAnalyzer> logger) : ICallAnalyzer
{
    private const int MaxAttempts = 2;

    private const string Instructions = """
        You analyse a finished sales qualification phone call between an AI agent and a lead.
        Score BANT from what the lead actually said (never from what the agent said):
        budget, authority, need and timeline each 1 (absent or negative) to 4 (strong, explicit).
        overallScore is 0-100. qualified is true only when the lead has a real need, a budget, decision authority and a
        timeline within six months and did not opt out. nextStep is one concrete action for the sales team.
        summary is two to four factual sentences. Answer with JSON only.
        """;

    public async Task AnalyzeAsync(Guid callId, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(callId, cancellationToken);
        if (call is null || call.ErasedAt is not null)
        {
            logger.LogWarning("Call {CallId} is missing or erased; nothing to analyse", callId);
            return;
        }

        var transcript = (await calls.GetTranscriptAsync(callId, cancellationToken))
            .Where(turn => turn.Speaker is CallSpeakers.Agent or CallSpeakers.Caller)
            .ToList();
        if (!transcript.Any(turn => turn.Speaker == CallSpeakers.Caller))
        {
            logger.LogInformation("Call {CallId} has no words from the lead; no analysis stored", callId);
            return;
        }

        var campaign = call.CampaignId is { } campaignId ? await campaigns.GetAsync(campaignId, cancellationToken) : null;
        var questions = campaign?.ToAgentCampaign().Questions ?? [];
        var input = new AnalysisInput(questions, [.. transcript.Select(turn => new TranscriptLine(turn.Speaker == CallSpeakers.Caller, turn.Text))], call.Disposition);
        var (analysis, usage) = await RequestAnalysisAsync(input, campaign?.Settings.Language, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var analysisJson = JsonSerializer.SerializeToNode(analysis)!.AsObject();
        await calls.SaveAnalysisAsync(callId, analysis.Summary, analysisJson, cancellationToken, transaction);
        if (usage is not null)
        {
            await calls.AddTokenUsageAsync(callId, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cancellationToken, transaction);
        }

        if (call.LeadId is { } leadId)
        {
            var onLead = new JsonObject
            {
                ["bant"] = JsonSerializer.SerializeToNode(analysis.Bant),
                ["nextStep"] = analysis.NextStep,
                ["analysedCallId"] = callId.ToString(),
            };
            await leads.RecordQualificationAsync(leadId, analysis.OverallScore, onLead, status: null, cancellationToken, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Call {CallId} analysed by {Engine}: score {Score}, qualified {Qualified}",
            callId,
            analysis.Engine,
            analysis.OverallScore,
            analysis.Qualified);
    }

    /// <summary>The summary and next step are read by the campaign's team: in the campaign's language.</summary>
    internal static string InstructionsFor(string? language) => language is { Length: > 0 }
        ? Instructions + $"\nWrite summary and nextStep in {SystemPromptBuilder.LanguageName(language)} ({language}); JSON keys and enum values stay as specified."
        : Instructions;

    private async Task<(CallAnalysis Analysis, UsageDetails? Usage)> RequestAnalysisAsync(AnalysisInput input, string? language, CancellationToken cancellationToken)
    {
        var options = new ChatOptions
        {
            Instructions = InstructionsFor(language),
            ResponseFormat = ChatResponseFormat.ForJsonSchema(CallAnalysisSchema.Element, "call_analysis", "Post-call qualification analysis"),
            Temperature = 0,
            MaxOutputTokens = 1024,
        }.WithAnalysisInput(input);
        var prompt = new ChatMessage(ChatRole.User, Describe(input));
        UsageDetails? usage = null;
        for (var attempt = 1; ; attempt++)
        {
            var response = await chatClient.GetResponseAsync([prompt], options, cancellationToken);
            if (response.Usage is { } used)
            {
                usage ??= new UsageDetails();
                usage.Add(used);
            }

            try
            {
                var analysis = CallAnalysisSchema.Parse(response.Text);
                return (analysis with { Engine = engine.IsOffline ? OfflineChatClient.ModelId : response.ModelId ?? engine.Model }, usage);
            }
            catch (InvalidCallAnalysisException ex) when (attempt < MaxAttempts)
            {
                logger.LogWarning("Analysis from {Engine} rejected ({Reason}); asking again", engine.Label, ex.Message);
            }
        }
    }

    private static string Describe(AnalysisInput input)
    {
        var text = new StringBuilder();
        if (input.Questions.Count > 0)
        {
            text.AppendLine("Campaign qualification questions:");
            foreach (var question in input.Questions)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- [{question.Key}] {question.Text}");
            }

            text.AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Call disposition: {input.Disposition ?? "unknown"}");
        text.AppendLine("Transcript:");
        foreach (var line in input.Transcript)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(line.FromLead ? "Lead" : "Agent")}: {line.Text}");
        }

        return text.ToString();
    }
}
