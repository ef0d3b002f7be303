using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>Maps Microsoft.Extensions.AI chat messages and options to a Vertex AI <c>generateContent</c> request.</summary>
internal static class VertexRequestMapper
{
    /// <summary>
    /// Key under which a part's <c>thoughtSignature</c> travels in <see cref="AIContent.AdditionalProperties"/>, so the
    /// next request sends it back verbatim (Gemini 3 rejects a function-calling turn without it).
    /// </summary>
    public const string ThoughtSignatureKey = "thoughtSignature";

    /// <summary>Per-request override of the thinking budget (an int) in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string ThinkingBudgetKey = "thinkingBudget";

    public static GenerateContentRequest Map(IEnumerable<ChatMessage> messages, ChatOptions? options, int? defaultThinkingBudget)
    {
        var systemTexts = new List<string>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            systemTexts.Add(options.Instructions);
        }

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var contents = new List<VertexContent>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                systemTexts.AddRange(message.Contents.OfType<TextContent>().Select(text => text.Text));
                continue;
            }

            var role = message.Role == ChatRole.Assistant ? "model" : "user";
            var parts = message.Contents.Select(content => MapContent(content, callNames)).OfType<VertexPart>().ToList();
            if (parts.Count == 0)
            {
                continue;
            }

            // Vertex expects turns to alternate; consecutive messages of one role (e.g. several tool results) merge.
            if (contents.Count > 0 && contents[^1].Role == role)
            {
                contents[^1] = contents[^1] with { Parts = [.. contents[^1].Parts, .. parts] };
            }
            else
            {
                contents.Add(new VertexContent { Role = role, Parts = parts });
            }
        }

        return new GenerateContentRequest
        {
            Contents = contents,
            SystemInstruction = systemTexts.Count == 0
                ? null
                : new VertexContent { Parts = [new VertexPart { Text = string.Join("\n\n", systemTexts) }] },
            Tools = MapTools(options?.Tools),
            ToolConfig = MapToolMode(options),
            GenerationConfig = MapGenerationConfig(options, defaultThinkingBudget),
        };
    }

    private static VertexPart? MapContent(AIContent content, Dictionary<string, string> callNames)
    {
        var signature = content.AdditionalProperties?.TryGetValue(ThoughtSignatureKey, out var value) == true ? value?.ToString() : null;
        switch (content)
        {
            case TextReasoningContent reasoning:
                // Thought summaries are not sent back; a signature-only part is (it carries the model's state).
                var reasoningSignature = reasoning.ProtectedData ?? signature;
                return reasoningSignature is null ? null : new VertexPart { Text = reasoning.Text, Thought = true, ThoughtSignature = reasoningSignature };
            case TextContent text:
                return new VertexPart { Text = text.Text, ThoughtSignature = signature };
            case FunctionCallContent call:
                callNames[call.CallId] = call.Name;
                return new VertexPart
                {
                    FunctionCall = new VertexFunctionCall
                    {
                        Name = call.Name,
                        Args = ToJsonObject(call.Arguments),
                        Id = VertexResponseMapper.ServerCallId(call.CallId),
                    },
                    ThoughtSignature = signature,
                };
            case FunctionResultContent result:
                var name = callNames.TryGetValue(result.CallId, out var known)
                    ? known
                    : throw new InvalidOperationException($"Function result '{result.CallId}' has no matching function call in the conversation.");
                return new VertexPart
                {
                    FunctionResponse = new VertexFunctionResponse
                    {
                        Name = name,
                        Response = ResultToObject(result),
                        Id = VertexResponseMapper.ServerCallId(result.CallId),
                    },
                };
            case DataContent data:
                return new VertexPart { InlineData = new VertexBlob { MimeType = data.MediaType, Data = System.Convert.ToBase64String(data.Data.Span) } };
            default:
                return null;
        }
    }

    private static JsonObject? ToJsonObject(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var node = JsonSerializer.SerializeToNode(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
        return node as JsonObject;
    }

    private static JsonObject ResultToObject(FunctionResultContent result)
    {
        if (result.Exception is not null)
        {
            return new JsonObject { ["error"] = result.Exception.Message };
        }

        var node = result.Result switch
        {
            null => null,
            JsonNode jsonNode => jsonNode.DeepClone(),
            JsonElement element => JsonNode.Parse(element.GetRawText()),
            string text => JsonValue.Create(text),
            var other => JsonSerializer.SerializeToNode(other, AIJsonUtilities.DefaultOptions.GetTypeInfo(other.GetType())),
        };

        // Vertex wants an object; wrap scalars and arrays under "result".
        return node as JsonObject ?? new JsonObject { ["result"] = node };
    }

    private static List<VertexTool>? MapTools(IList<AITool>? tools)
    {
        var declarations = tools?.OfType<AIFunctionDeclaration>().Select(function => new VertexFunctionDeclaration
        {
            Name = function.Name,
            Description = string.IsNullOrWhiteSpace(function.Description) ? null : function.Description,
            Parameters = ParametersOrNull(VertexSchema.Convert(function.JsonSchema)),
        }).ToList();

        return declarations is { Count: > 0 } ? [new VertexTool { FunctionDeclarations = declarations }] : null;
    }

    /// <summary>Vertex rejects an OBJECT schema with no properties; a function without parameters sends none.</summary>
    private static JsonObject? ParametersOrNull(JsonObject? schema) =>
        schema?["properties"] is JsonObject { Count: > 0 } ? schema : null;

    private static VertexToolConfig? MapToolMode(ChatOptions? options) => options?.ToolMode switch
    {
        null => null,
        NoneChatToolMode => new VertexToolConfig { FunctionCallingConfig = new VertexFunctionCallingConfig { Mode = "NONE" } },
        AutoChatToolMode => new VertexToolConfig { FunctionCallingConfig = new VertexFunctionCallingConfig { Mode = "AUTO" } },
        RequiredChatToolMode required => new VertexToolConfig
        {
            FunctionCallingConfig = new VertexFunctionCallingConfig
            {
                Mode = "ANY",
                AllowedFunctionNames = required.RequiredFunctionName is { } name ? [name] : null,
            },
        },
        _ => null,
    };

    private static VertexGenerationConfig MapGenerationConfig(ChatOptions? options, int? defaultThinkingBudget)
    {
        var thinkingBudget = options?.AdditionalProperties?.TryGetValue(ThinkingBudgetKey, out var configured) == true
            ? System.Convert.ToInt32(configured, System.Globalization.CultureInfo.InvariantCulture)
            : defaultThinkingBudget;
        var json = options?.ResponseFormat as ChatResponseFormatJson;

        return new VertexGenerationConfig
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            TopK = options?.TopK,
            MaxOutputTokens = options?.MaxOutputTokens,
            StopSequences = options?.StopSequences is { Count: > 0 } stops ? [.. stops] : null,
            Seed = options?.Seed,
            ResponseMimeType = json is null ? null : "application/json",
            ResponseSchema = json is null ? null : VertexSchema.Convert(json.Schema),
            ThinkingConfig = thinkingBudget is null ? null : new VertexThinkingConfig { ThinkingBudget = thinkingBudget },
        };
    }
}
