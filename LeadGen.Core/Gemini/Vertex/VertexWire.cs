using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LeadGen.Core.Gemini.Vertex;

// The Vertex AI generateContent wire format (v1, publishers/google/models). Only the fields this product sends or
// reads are modelled; unknown response fields are ignored. Property names are camelCase on the wire.

internal sealed record GenerateContentRequest
{
    public required IReadOnlyList<VertexContent> Contents { get; init; }

    public VertexContent? SystemInstruction { get; init; }

    public IReadOnlyList<VertexTool>? Tools { get; init; }

    public VertexToolConfig? ToolConfig { get; init; }

    public VertexGenerationConfig? GenerationConfig { get; init; }
}

internal sealed record VertexContent
{
    /// <summary><c>user</c> or <c>model</c>; omitted for the system instruction.</summary>
    public string? Role { get; init; }

    public required IReadOnlyList<VertexPart> Parts { get; init; }
}

/// <summary>One part: exactly one of text / functionCall / functionResponse / inlineData, plus flags.</summary>
internal sealed record VertexPart
{
    public string? Text { get; init; }

    /// <summary>True when the text is a thought summary, not an answer.</summary>
    public bool? Thought { get; init; }

    /// <summary>Opaque signature the model attaches to a part; must be sent back verbatim on the next turn.</summary>
    public string? ThoughtSignature { get; init; }

    public VertexFunctionCall? FunctionCall { get; init; }

    public VertexFunctionResponse? FunctionResponse { get; init; }

    public VertexBlob? InlineData { get; init; }
}

internal sealed record VertexFunctionCall
{
    public required string Name { get; init; }

    public JsonObject? Args { get; init; }

    /// <summary>Set by some models (and the Gemini API); Vertex usually omits it.</summary>
    public string? Id { get; init; }
}

internal sealed record VertexFunctionResponse
{
    public required string Name { get; init; }

    public required JsonObject Response { get; init; }

    public string? Id { get; init; }
}

internal sealed record VertexBlob
{
    public required string MimeType { get; init; }

    public required string Data { get; init; }
}

internal sealed record VertexTool
{
    public required IReadOnlyList<VertexFunctionDeclaration> FunctionDeclarations { get; init; }
}

internal sealed record VertexFunctionDeclaration
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>OpenAPI-subset schema (see <see cref="VertexSchema"/>).</summary>
    public JsonObject? Parameters { get; init; }
}

internal sealed record VertexToolConfig
{
    public required VertexFunctionCallingConfig FunctionCallingConfig { get; init; }
}

internal sealed record VertexFunctionCallingConfig
{
    /// <summary>AUTO, ANY or NONE.</summary>
    public required string Mode { get; init; }

    public IReadOnlyList<string>? AllowedFunctionNames { get; init; }
}

internal sealed record VertexGenerationConfig
{
    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public float? TopK { get; init; }

    public int? MaxOutputTokens { get; init; }

    public IReadOnlyList<string>? StopSequences { get; init; }

    public long? Seed { get; init; }

    public string? ResponseMimeType { get; init; }

    public JsonObject? ResponseSchema { get; init; }

    public VertexThinkingConfig? ThinkingConfig { get; init; }
}

internal sealed record VertexThinkingConfig
{
    public int? ThinkingBudget { get; init; }
}

internal sealed record GenerateContentResponse
{
    public IReadOnlyList<VertexCandidate>? Candidates { get; init; }

    public VertexUsageMetadata? UsageMetadata { get; init; }

    public string? ModelVersion { get; init; }

    public string? ResponseId { get; init; }

    public DateTimeOffset? CreateTime { get; init; }

    public VertexPromptFeedback? PromptFeedback { get; init; }
}

internal sealed record VertexCandidate
{
    public VertexContent? Content { get; init; }

    public string? FinishReason { get; init; }
}

internal sealed record VertexPromptFeedback
{
    public string? BlockReason { get; init; }
}

internal sealed record VertexUsageMetadata
{
    public int? PromptTokenCount { get; init; }

    public int? CandidatesTokenCount { get; init; }

    public int? TotalTokenCount { get; init; }

    public int? ThoughtsTokenCount { get; init; }

    public int? CachedContentTokenCount { get; init; }
}

/// <summary>Google's error envelope: <c>{"error": {"code", "message", "status"}}</c>.</summary>
internal sealed record VertexErrorEnvelope
{
    public VertexError? Error { get; init; }
}

internal sealed record VertexError
{
    public int Code { get; init; }

    public string? Message { get; init; }

    public string? Status { get; init; }
}

internal static class VertexJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
