using LeadGen.Core.Compliance;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>A campaign as the dialer sees it: status, calling rules, caller ID, pacing and current live calls.</summary>
public sealed record DialerCampaign(Guid Id, string Status, DialRules Rules, string? CallerId, int? MaxConcurrentCalls, int LiveCalls)
{
    /// <summary>Reads the campaign, locked: <c>FOR UPDATE</c> serialises dialer runs of one campaign across instances,
    /// <c>FOR SHARE</c> lets place-call jobs read it side by side.</summary>
    public static async Task<DialerCampaign?> ReadAsync(NpgsqlTransaction transaction, Guid campaignId, bool forUpdate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (forUpdate)
        {
            // Lock first, count in a later statement: under READ COMMITTED a statement that waited for the lock keeps the
            // snapshot it started with, so a run that waited for another would not see the calls that one queued (the
            // fault run caught 38 live calls in 20 slots).
            await using var lockCampaign = new NpgsqlCommand("SELECT 1 FROM campaigns WHERE id = @id FOR UPDATE", transaction.Connection, transaction);
            lockCampaign.Parameters.AddWithValue("id", campaignId);
            await lockCampaign.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand($"""
            SELECT status, consent_required, max_attempts, retry_spacing_minutes, calling_window_start, calling_window_end,
                   default_time_zone, caller_id, max_concurrent_calls,
                   (SELECT count(*) FROM calls c WHERE c.campaign_id = campaigns.id
                      AND c.status IN ('queued', 'initiated', 'ringing', 'in_progress'))::int AS live_calls
            FROM campaigns WHERE id = @id
            {(forUpdate ? "FOR UPDATE" : "FOR SHARE")}
            """, transaction.Connection, transaction);
        command.Parameters.AddWithValue("id", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var rules = new DialRules
        {
            ConsentRequired = reader.GetBoolean(1),
            MaxAttempts = reader.GetInt32(2),
            RetrySpacing = TimeSpan.FromMinutes(reader.GetInt32(3)),
            WindowStart = reader.GetFieldValue<TimeOnly>(4),
            WindowEnd = reader.GetFieldValue<TimeOnly>(5),
            DefaultTimeZone = reader.IsDBNull(6) ? null : reader.GetString(6),
        };
        return new DialerCampaign(
            campaignId,
            reader.GetString(0),
            rules,
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetInt32(8),
            reader.GetInt32(9));
    }
}
