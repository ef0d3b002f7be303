using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Converts a JSON Schema (as Microsoft.Extensions.AI produces for tools and response formats) into the OpenAPI
/// subset Vertex AI accepts in <c>parameters</c> and <c>responseSchema</c>: upper-case types, <c>nullable</c> instead of
/// a <c>null</c> type, and only the keywords Vertex knows (others such as <c>$schema</c> or
/// <c>additionalProperties</c> make Vertex reject the request).
/// </summary>
internal static class VertexSchema
{
    private static readonly HashSet<string> CopiedKeywords =
    [
        "format", "title", "description", "enum", "required", "minItems", "maxItems", "minLength", "maxLength",
        "pattern", "minimum", "maximum", "minProperties", "maxProperties", "default", "example", "propertyOrdering",
    ];

    public static JsonObject? Convert(JsonElement? schema) =>
        schema is { ValueKind: JsonValueKind.Object } element ? ConvertObject(element) : null;

    private static JsonObject ConvertObject(JsonElement schema)
    {
        var result = new JsonObject();
        foreach (var property in schema.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    ConvertType(property.Value, result);
                    break;
                case "properties" when property.Value.ValueKind == JsonValueKind.Object:
                    var properties = new JsonObject();
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        properties[child.Name] = ConvertObject(child.Value);
                    }

                    result["properties"] = properties;
                    break;
                case "items" when property.Value.ValueKind == JsonValueKind.Object:
                    result["items"] = ConvertObject(property.Value);
                    break;
                case "anyOf" when property.Value.ValueKind == JsonValueKind.Array:
                    result["anyOf"] = new JsonArray(property.Value.EnumerateArray().Select(item => (JsonNode)ConvertObject(item)).ToArray());
                    break;
                case "nullable":
                    result["nullable"] = property.Value.ValueKind == JsonValueKind.True;
                    break;
                default:
                    if (CopiedKeywords.Contains(property.Name))
                    {
                        result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                    }

                    break;
            }
        }

        return result;
    }

    private static void ConvertType(JsonElement type, JsonObject result)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            result["type"] = type.GetString()!.ToUpperInvariant();
            return;
        }

        if (type.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var names = type.EnumerateArray().Select(item => item.GetString()).OfType<string>().ToList();
        if (names.Remove("null"))
        {
            result["nullable"] = true;
        }

        if (names.Count > 0)
        {
            result["type"] = names[0].ToUpperInvariant();
        }
    }
}
