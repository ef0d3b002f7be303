using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Extraction;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Gemini.Offline;

/// <summary>
/// Structured context the agent attaches to <see cref="ChatOptions.AdditionalProperties"/> so the offline engine can
/// follow the campaign without parsing prompts. Vertex ignores these keys.
/// </summary>
public static class OfflineHints
{
    public const string ScriptKey = "leadgen.agent.script";
    public const string AnalysisKey = "leadgen.analysis.input";

    public static ChatOptions WithScript(this ChatOptions options, AgentScript script)
    {
        (options.AdditionalProperties ??= [])[ScriptKey] = script;
        return options;
    }

    public static ChatOptions WithAnalysisInput(this ChatOptions options, AnalysisInput input)
    {
        (options.AdditionalProperties ??= [])[AnalysisKey] = input;
        return options;
    }

    public static T? Get<T>(ChatOptions? options, string key) where T : class =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? value as T : null;
}

/// <summary>What post-call analysis is about: the campaign's questions, the transcript and how the call ended.</summary>
public sealed record AnalysisInput(IReadOnlyList<AgentQuestion> Questions, IReadOnlyList<TranscriptLine> Transcript, string? Disposition);
