using System.Text.Json.Nodes;
using Npgsql;

namespace LeadGen.Core.Persistence;

/// <summary>Typed, null-aware column reads by name, so row mappers stay one line per column.</summary>
internal static class DataReaderExtensions
{
    /// <summary>Runs the command and maps every row: the one read loop all stores share.</summary>
    public static async Task<IReadOnlyList<T>> ReadListAsync<T>(
        this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static T Get<T>(this NpgsqlDataReader reader, string column) => reader.GetFieldValue<T>(reader.GetOrdinal(column));

    public static string? GetStringOrNull(this NpgsqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static T? GetOrNull<T>(this NpgsqlDataReader reader, string column) where T : struct
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
    }

    public static JsonObject GetJsonObject(this NpgsqlDataReader reader, string column) =>
        reader.GetJsonObjectOrNull(column) ?? [];

    public static JsonObject? GetJsonObjectOrNull(this NpgsqlDataReader reader, string column)
    {
        var text = reader.GetStringOrNull(column);
        return text is null ? null : JsonNode.Parse(text)?.AsObject();
    }
}
