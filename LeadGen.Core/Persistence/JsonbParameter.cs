using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Persistence;

internal static class JsonbParameter
{
    public static void AddJsonb(this NpgsqlCommand command, string name, JsonNode? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = value is null ? DBNull.Value : value.ToJsonString() });

    /// <remarks>
    /// A null value binds SQL NULL, never the JSON literal <c>null</c>: typed JSON nodes (<c>JsonObject?</c>) pick this
    /// overload, and a JSON null merged with <c>||</c> would turn an object column into an array.
    /// </remarks>
    public static void AddJsonb<T>(this NpgsqlCommand command, string name, T value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value, JsonDefaults.Options) });
}
