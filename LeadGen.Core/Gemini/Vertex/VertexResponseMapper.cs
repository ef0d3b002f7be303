using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>Maps Vertex AI responses (whole or one SSE chunk) to Microsoft.Extensions.AI contents.</summary>
internal static class VertexResponseMapper
{
    /// <summary>Vertex usually sends function calls without an id; ours are generated with this prefix.</summary>
    private const string GeneratedCallIdPrefix = "vertex-call-";

    /// <summary>The id to echo to Vertex for a call id, or null when we generated it (Vertex sent none).</summary>
    public static string? ServerCallId(string callId) =>
        callId.StartsWith(GeneratedCallIdPrefix, StringComparison.Ordinal) ? null : callId;

    public static List<AIContent> MapParts(VertexCandidate? candidate)
    {
        var contents = new List<AIContent>();
        foreach (var part in candidate?.Content?.Parts ?? [])
        {
            var content = MapPart(part);
            if (content is null)
            {
                continue;
            }

            content.RawRepresentation = part;
            if (part.ThoughtSignature is not null)
            {
                (content.AdditionalProperties ??= [])[VertexRequestMapper.ThoughtSignatureKey] = part.ThoughtSignature;
            }

            contents.Add(content);
        }

        return contents;
    }

    private static AIContent? MapPart(VertexPart part)
    {
        if (part.FunctionCall is { } call)
        {
            var arguments = call.Args is null
                ? new Dictionary<string, object?>()
                : JsonSerializer.Deserialize<Dictionary<string, object?>>(call.Args.ToJsonString(), AIJsonUtilities.DefaultOptions);
            return new FunctionCallContent(call.Id ?? GeneratedCallIdPrefix + Guid.NewGuid().ToString("N")[..12], call.Name, arguments);
        }

        if (part.Thought == true)
        {
            return new TextReasoningContent(part.Text ?? string.Empty) { ProtectedData = part.ThoughtSignature };
        }

        if (part.Text is not null)
        {
            return new TextContent(part.Text);
        }

        if (part.InlineData is { } blob)
        {
            return new DataContent(Convert.FromBase64String(blob.Data), blob.MimeType);
        }

        // A part carrying only a signature still has to go back to the model.
        return part.ThoughtSignature is null ? null : new TextReasoningContent(string.Empty) { ProtectedData = part.ThoughtSignature };
    }

    public static ChatFinishReason? MapFinishReason(string? finishReason) => finishReason switch
    {
        null or "" or "FINISH_REASON_UNSPECIFIED" => null,
        "STOP" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => ChatFinishReason.ContentFilter,
        "MALFORMED_FUNCTION_CALL" or "UNEXPECTED_TOOL_CALL" => ChatFinishReason.ToolCalls,
        var other => new ChatFinishReason(other),
    };

    public static UsageDetails? MapUsage(VertexUsageMetadata? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = usage.PromptTokenCount,
            OutputTokenCount = (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0),
            TotalTokenCount = usage.TotalTokenCount,
            ReasoningTokenCount = usage.ThoughtsTokenCount,
            CachedInputTokenCount = usage.CachedContentTokenCount,
        };
        return details;
    }
}
