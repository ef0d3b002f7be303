using System.Text.Json;

namespace LeadGen.Core.Persistence;

/// <summary>How JSON stored in jsonb columns is shaped: camelCase property names, like the API.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
