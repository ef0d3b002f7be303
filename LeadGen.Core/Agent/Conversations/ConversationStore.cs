using System.Text.Json;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.AI;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Agent.Conversations;

/// <summary>Open agent conversations (table agent_conversations): history, tool state and the next transcript seq.</summary>
public sealed class ConversationStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Advisory-lock namespace for "one turn at a time per conversation" (the second key is the call id's hash).</summary>
    private const int TurnLockNamespace = 0x4C47_4331; // "LGC1"

    public async Task InsertAsync(StoredConversation conversation, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO agent_conversations (call_id, lead_id, engine, history, state, next_seq, created_at, updated_at)
            VALUES (@call_id, @lead_id, @engine, @history, @state, @next_seq, @now, @now)
            """, transaction.Connection, transaction);
        AddParameters(command, conversation);
        command.Parameters.AddWithValue("lead_id", conversation.LeadId);
        command.Parameters.AddWithValue("engine", conversation.Engine);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredConversation?> GetAsync(Guid callId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT call_id, lead_id, engine, history::text, state::text, next_seq FROM agent_conversations WHERE call_id = @call_id
            """);
        command.Parameters.AddWithValue("call_id", callId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredConversation(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetString(2),
            JsonSerializer.Deserialize<List<ChatMessage>>(reader.GetString(3), AIJsonUtilities.DefaultOptions) ?? [],
            JsonSerializer.Deserialize<ConversationState>(reader.GetString(4), JsonDefaults.Options) ?? new ConversationState(),
            reader.GetInt32(5));
    }

    public async Task SaveAsync(StoredConversation conversation, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE agent_conversations SET history = @history, state = @state, next_seq = @next_seq, updated_at = @now WHERE call_id = @call_id
            """, transaction.Connection, transaction);
        AddParameters(command, conversation);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteAsync(Guid callId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM agent_conversations WHERE call_id = @call_id", transaction.Connection, transaction);
        command.Parameters.AddWithValue("call_id", callId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Takes the conversation's turn lock on <paramref name="connection"/> (session-level, released by
    /// <see cref="ReleaseTurnAsync"/> or when the connection closes). False when another turn holds it.
    /// </summary>
    public static async Task<bool> TryTakeTurnAsync(NpgsqlConnection connection, Guid callId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, hashtext(@id))", connection);
        command.Parameters.AddWithValue("ns", TurnLockNamespace);
        command.Parameters.AddWithValue("id", callId.ToString());
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task ReleaseTurnAsync(NpgsqlConnection connection, Guid callId)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, hashtext(@id))", connection);
        command.Parameters.AddWithValue("ns", TurnLockNamespace);
        command.Parameters.AddWithValue("id", callId.ToString());
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    private void AddParameters(NpgsqlCommand command, StoredConversation conversation)
    {
        command.Parameters.AddWithValue("call_id", conversation.CallId);
        command.Parameters.Add(new NpgsqlParameter("history", NpgsqlDbType.Json) { Value = JsonSerializer.Serialize(conversation.History, AIJsonUtilities.DefaultOptions) });
        command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(conversation.State, JsonDefaults.Options) });
        command.Parameters.AddWithValue("next_seq", conversation.NextSeq);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
    }
}

public sealed record StoredConversation(Guid CallId, Guid LeadId, string Engine, List<ChatMessage> History, ConversationState State, int NextSeq)
{
    public int NextSeq { get; set; } = NextSeq;
}
