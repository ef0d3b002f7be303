using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace LeadGen.Agent.Tests.Fakes;

/// <summary>
/// The body checks the fake applies, as Vertex would: only known fields (Vertex rejects unknown names), roles
/// user/model, one data field per part, upper-case schema types, function responses answering earlier calls, and
/// every thought signature the server issued echoed verbatim on the model's function-call part.
/// </summary>
internal static class VertexRequestRules
{
    private static readonly HashSet<string> RequestFields = ["contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "safetySettings", "labels", "cachedContent"];
    private static readonly HashSet<string> PartFields = ["text", "thought", "thoughtSignature", "functionCall", "functionResponse", "inlineData", "fileData"];
    private static readonly HashSet<string> GenerationFields = ["temperature", "topP", "topK", "maxOutputTokens", "stopSequences", "seed", "responseMimeType", "responseSchema", "thinkingConfig", "candidateCount", "presencePenalty", "frequencyPenalty"];
    private static readonly HashSet<string> SchemaTypes = ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT"];
    private static readonly HashSet<string> SchemaFields = ["type", "format", "title", "description", "nullable", "enum", "properties", "required", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "anyOf", "propertyOrdering", "default", "example", "minProperties", "maxProperties"];

    public static string? Check(JsonObject? body, ConcurrentDictionary<string, string> issuedSignatures)
    {
        if (body is null)
        {
            return "Invalid JSON payload received. Expected an object.";
        }

        if (Unknown(body, RequestFields, "GenerateContentRequest") is { } unknown)
        {
            return unknown;
        }

        if (body["contents"] is not JsonArray { Count: > 0 } contents)
        {
            return "Unable to submit request because it must include at least one parts field.";
        }

        if (body["systemInstruction"] is JsonObject system && (system["parts"] is not JsonArray { Count: > 0 } || system["role"] is not null))
        {
            return "systemInstruction must have parts and no role.";
        }

        var calledNames = new List<string>();
        var echoed = new HashSet<(string Name, string Signature)>();
        foreach (var content in contents.OfType<JsonObject>())
        {
            var role = content["role"]?.GetValue<string>();
            if (role is not ("user" or "model"))
            {
                return $"Please use a valid role: user, model. Got '{role}'.";
            }

            if (content["parts"] is not JsonArray { Count: > 0 } parts)
            {
                return "Unable to submit request because it must include at least one parts field.";
            }

            foreach (var part in parts.OfType<JsonObject>())
            {
                if (Unknown(part, PartFields, "Part") is { } unknownPart)
                {
                    return unknownPart;
                }

                var dataFields = part.Count(pair => pair.Key is "text" or "functionCall" or "functionResponse" or "inlineData" or "fileData");
                if (dataFields != 1)
                {
                    return "Each part must contain exactly one of text, functionCall, functionResponse, inlineData.";
                }

                if (part["functionCall"] is JsonObject call)
                {
                    var name = call["name"]!.GetValue<string>();
                    calledNames.Add(name);
                    if (role != "model")
                    {
                        return "functionCall parts must be in a model turn.";
                    }

                    if (part["thoughtSignature"]?.GetValue<string>() is { } signature)
                    {
                        echoed.Add((name, signature));
                    }
                }

                if (part["functionResponse"] is JsonObject response)
                {
                    var name = response["name"]!.GetValue<string>();
                    if (!calledNames.Contains(name) || response["response"] is not JsonObject)
                    {
                        return $"functionResponse '{name}' does not answer a functionCall, or its response is not an object.";
                    }
                }
            }
        }

        // Every signature the server handed out must come back verbatim on its function-call part.
        foreach (var (signature, name) in issuedSignatures)
        {
            if (calledNames.Contains(name) && !echoed.Contains((name, signature)))
            {
                return $"Function call `{name}` in the model turn is missing a `thought_signature`.";
            }
        }

        if (body["generationConfig"] is JsonObject generation)
        {
            if (Unknown(generation, GenerationFields, "GenerationConfig") is { } unknownConfig)
            {
                return unknownConfig;
            }

            if (generation["responseSchema"] is JsonObject schema && CheckSchema(schema) is { } schemaProblem)
            {
                return schemaProblem;
            }

            if (generation["responseSchema"] is not null && generation["responseMimeType"]?.GetValue<string>() != "application/json")
            {
                return "responseSchema requires responseMimeType application/json.";
            }
        }

        foreach (var declaration in (body["tools"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(tool => (tool["functionDeclarations"] as JsonArray ?? []).OfType<JsonObject>()))
        {
            if (declaration["parameters"] is JsonObject parameters && CheckSchema(parameters) is { } problem)
            {
                return $"functionDeclarations[{declaration["name"]}].parameters: {problem}";
            }
        }

        return null;
    }

    private static string? CheckSchema(JsonObject schema)
    {
        if (Unknown(schema, SchemaFields, "Schema") is { } unknown)
        {
            return unknown;
        }

        if (schema["type"] is JsonValue type && !SchemaTypes.Contains(type.GetValue<string>()))
        {
            return $"Invalid value at 'type' ({type}).";
        }

        if (schema["type"]?.GetValue<string>() == "OBJECT" && schema["properties"] is JsonObject { Count: 0 })
        {
            return "properties: should be non-empty for OBJECT type";
        }

        foreach (var child in (schema["properties"] as JsonObject ?? []).Select(pair => pair.Value).OfType<JsonObject>().Append(schema["items"] as JsonObject).OfType<JsonObject>())
        {
            if (CheckSchema(child) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Unknown(JsonObject node, HashSet<string> known, string message) =>
        node.Select(pair => pair.Key).FirstOrDefault(key => !known.Contains(key)) is { } name
            ? $"Invalid JSON payload received. Unknown name \"{name}\" at '{message}': Cannot find field."
            : null;
}
