using LeadGen.Core.Calls.Recording;
using Npgsql;

namespace LeadGen.Core.Compliance;

/// <summary>
/// Erases a lead's personal data (right to erasure) while keeping what aggregates need: the lead row keeps its
/// campaign, status, attempts, score and timestamps; its calls keep status, disposition, duration, timestamps, token
/// counts and cost; transcript turns keep their count, speakers and timing but lose their text. Names, numbers, e-mail,
/// company, role, qualification answers, call summaries, extracted fields, analyses, recordings (the stored audio
/// itself, through <see cref="IRecordingStore"/>) and callback notes are removed. The do-not-call list keeps the number
/// if it is listed (that is how the opt-out is honoured). Recordings held by the telephony provider (recording_url)
/// are not ours to delete: only the link is dropped.
/// </summary>
public sealed class PersonalDataEraser(NpgsqlDataSource dataSource, TimeProvider clock, IRecordingStore recordings)
{
    /// <summary>
    /// Erases the lead and everything personal linked to it, atomically: the recordings are deleted inside the
    /// transaction, so if one cannot be deleted nothing is erased and the erasure can simply be retried.
    /// False when the lead does not exist.
    /// </summary>
    public async Task<bool> EraseLeadAsync(Guid leadId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await LockLeadAsync(connection, transaction, leadId, cancellationToken))
        {
            return false;
        }

        foreach (var key in await RecordingKeysAsync(connection, transaction, leadId, cancellationToken))
        {
            await recordings.DeleteAsync(key, cancellationToken);
        }

        await using var command = new NpgsqlCommand("""
            UPDATE leads SET name = NULL, phone = NULL, email = NULL, company = NULL, role = NULL, time_zone = NULL,
                consent_method = NULL, qualification = '{}', erased_at = COALESCE(erased_at, @now), updated_at = @now
            WHERE id = @lead_id;

            UPDATE calls SET from_number = NULL, to_number = NULL, recording_url = NULL, recording_key = NULL, summary = NULL,
                extracted = '{}', analysis = NULL, error = NULL, erased_at = COALESCE(erased_at, @now), updated_at = @now
            WHERE lead_id = @lead_id;

            UPDATE call_turns SET text = '' WHERE call_id IN (SELECT id FROM calls WHERE lead_id = @lead_id);

            UPDATE callbacks SET note = NULL, updated_at = @now WHERE lead_id = @lead_id;
            """, connection, transaction);
        command.Parameters.AddWithValue("lead_id", leadId);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> LockLeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid leadId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM leads WHERE id = @id FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("id", leadId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// The lead's recordings. Every call row of the lead is locked, so a recording being linked as a call ends waits
    /// for the erasure, then finds the call erased and deletes its upload (<see cref="CallRecorder"/>).
    /// </summary>
    private static async Task<List<string>> RecordingKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid leadId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT recording_key FROM calls WHERE lead_id = @id FOR UPDATE", connection, transaction);
        command.Parameters.AddWithValue("id", leadId);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                keys.Add(reader.GetString(0));
            }
        }

        return keys;
    }
}
