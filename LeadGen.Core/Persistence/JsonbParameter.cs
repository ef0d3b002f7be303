using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Persistence;

internal static class JsonbParameter
{
    public static void AddJsonb(this NpgsqlCommand command, string name, JsonNode? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = value is null ? DBNull.Value : value.ToJsonString() });

    public static void AddJsonb<T>(this NpgsqlCommand command, string name, T value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(value, JsonDefaults.Options) });
}
