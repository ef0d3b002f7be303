using LeadGen.Core.Compliance;
using Npgsql;

namespace LeadGen.Queue.Tests.Compliance;

/// <summary>Writes campaigns, leads and do-not-call entries straight into the issue-3 schema for dialer tests.</summary>
internal static class DialerData
{
    public static async Task InsertCampaignAsync(NpgsqlConnection connection, Guid id, DialRules rules, string status, int? maxConcurrentCalls)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO campaigns (id, name, status, consent_required, max_attempts, retry_spacing_minutes, calling_window_start,
                                   calling_window_end, default_time_zone, max_concurrent_calls, caller_id)
            VALUES (@id, 'Test campaign', @status, @consent, @max_attempts, @spacing, @start, @end, @default_zone, @max_concurrent, '+15005550006')
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("consent", rules.ConsentRequired);
        command.Parameters.AddWithValue("max_attempts", rules.MaxAttempts);
        command.Parameters.AddWithValue("spacing", (int)rules.RetrySpacing.TotalMinutes);
        command.Parameters.AddWithValue("start", rules.WindowStart);
        command.Parameters.AddWithValue("end", rules.WindowEnd == new TimeOnly(0, 0) ? new TimeOnly(23, 59) : rules.WindowEnd);
        command.Parameters.AddWithValue("default_zone", (object?)rules.DefaultTimeZone ?? DBNull.Value);
        command.Parameters.AddWithValue("max_concurrent", (object?)maxConcurrentCalls ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task InsertLeadAsync(NpgsqlConnection connection, DialCandidate lead)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO leads (id, campaign_id, phone, time_zone, status, consent_given_at, attempts, last_attempt_at, next_attempt_at)
            VALUES (@id, @campaign_id, @phone, @time_zone, @status, @consent, @attempts, @last, @next)
            """, connection);
        command.Parameters.AddWithValue("id", lead.LeadId);
        command.Parameters.AddWithValue("campaign_id", lead.CampaignId);
        command.Parameters.AddWithValue("phone", lead.Phone!);
        command.Parameters.AddWithValue("time_zone", (object?)lead.TimeZone ?? DBNull.Value);
        command.Parameters.AddWithValue("status", lead.Status);
        command.Parameters.AddWithValue("consent", (object?)lead.ConsentGivenAt ?? DBNull.Value);
        command.Parameters.AddWithValue("attempts", lead.Attempts);
        command.Parameters.AddWithValue("last", (object?)lead.LastAttemptAt ?? DBNull.Value);
        command.Parameters.AddWithValue("next", (object?)lead.NextAttemptAt ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task AddToDoNotCallAsync(NpgsqlConnection connection, string phone)
    {
        await using var command = new NpgsqlCommand("INSERT INTO do_not_call (phone, reason) VALUES (@phone, 'test')", connection);
        command.Parameters.AddWithValue("phone", phone);
        await command.ExecuteNonQueryAsync();
    }
}
