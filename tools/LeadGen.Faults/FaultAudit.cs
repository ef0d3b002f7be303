using LeadGen.Core.Queue;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Faults;

/// <summary>What the run counted, and every broken invariant (an anomaly) with enough detail to look it up.</summary>
public sealed class FaultAuditResult
{
    public int Leads { get; set; }

    public int Calls { get; set; }

    /// <summary>Calls beyond each lead's first (the campaign's retries).</summary>
    public int Retries { get; set; }

    public int DeadLetters { get; set; }

    public int Jobs { get; set; }

    public int PeakLiveCalls { get; set; }

    public Dictionary<string, int> LeadStatuses { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> CallStatuses { get; } = new(StringComparer.Ordinal);

    public List<string> Anomalies { get; } = [];
}

/// <summary>
/// The fault run's verdict, read from the database and the streams once the campaign has settled. Each rule is issue
/// 18's: one valid state per lead, no lead dialled twice at once or past max_attempts, every call final, every job
/// accounted for, no duplicate side effect, no call outside 08:00–21:00 callee-local time.
/// </summary>
public static class FaultAudit
{
    public static async Task<FaultAuditResult> RunAsync(SystemUnderFault stack, FaultCampaign campaign, CancellationToken cancellationToken)
    {
        var result = new FaultAuditResult();
        await using var connection = await stack.OpenAsync(cancellationToken);
        await CountAsync(connection, campaign, result, cancellationToken);
        await LeadStatesAsync(connection, campaign, result, cancellationToken);
        await DialsAsync(connection, campaign, result, cancellationToken);
        await CallsFinalAsync(connection, campaign, result, cancellationToken);
        await CallingWindowAsync(connection, campaign, result, cancellationToken);
        await SideEffectsAsync(connection, campaign, result, cancellationToken);
        await JobsAsync(connection, stack, result, cancellationToken);
        foreach (var host in stack.Hosts.Where(host => host.Crashed))
        {
            result.Anomalies.Add($"process: {host.Name} exited by itself (see {stack.LogDirectory}/{host.Name}.log)");
        }

        return result;
    }

    private static async Task CountAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        await foreach (var row in QueryAsync(connection, "SELECT status, count(*)::int FROM leads WHERE campaign_id = @c GROUP BY status", campaign, cancellationToken))
        {
            result.LeadStatuses[row.GetString(0)] = row.GetInt32(1);
            result.Leads += row.GetInt32(1);
        }

        await foreach (var row in QueryAsync(connection, "SELECT status, count(*)::int FROM calls WHERE campaign_id = @c GROUP BY status", campaign, cancellationToken))
        {
            result.CallStatuses[row.GetString(0)] = row.GetInt32(1);
            result.Calls += row.GetInt32(1);
        }

        await foreach (var row in QueryAsync(connection, "SELECT count(*)::int - count(DISTINCT lead_id)::int FROM calls WHERE campaign_id = @c", campaign, cancellationToken))
        {
            result.Retries = row.GetInt32(0);
        }
    }

    /// <summary>Terminal, or waiting for a retry the campaign's rules allow; never stuck queued/calling; control leads untouched.</summary>
    private static async Task LeadStatesAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT l.id, l.status, l.attempts, l.next_attempt_at, l.time_zone,
                   EXISTS (SELECT 1 FROM callbacks cb WHERE cb.lead_id = l.id AND cb.status = 'scheduled') AS has_callback
            FROM leads l WHERE l.campaign_id = @c
            """;
        var closed = campaign.ClosedZones.ToHashSet(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(connection, Sql, campaign, cancellationToken))
        {
            var (id, status, attempts, nextAttempt, zone, hasCallback) =
                (row.GetGuid(0), row.GetString(1), row.GetInt32(2), row.IsDBNull(3) ? (DateTime?)null : row.GetDateTime(3), row.GetString(4), row.GetBoolean(5));
            var problem = status switch
            {
                "queued" or "calling" => "still " + status + " after the campaign settled",
                "new" when attempts >= campaign.MaxAttempts => $"new after {attempts} attempts (max {campaign.MaxAttempts}: should be unreachable)",
                "new" when attempts > 0 && nextAttempt is null => "new after an attempt but no retry scheduled",
                "callback" when !hasCallback => "callback without a scheduled callback",
                "unreachable" when attempts < campaign.MaxAttempts => $"unreachable after {attempts} of {campaign.MaxAttempts} attempts",
                _ => null,
            };
            if (problem is not null)
            {
                result.Anomalies.Add($"lead state: lead {id} {problem}");
            }

            if (closed.Contains(zone) && (attempts > 0 || status != "new"))
            {
                result.Anomalies.Add($"calling window: control lead {id} ({zone}, outside 08:00-21:00) was touched: {status}, {attempts} attempt(s)");
            }
        }
    }

    /// <summary>At most max_attempts dials per lead, and never two of its calls open at the same time.</summary>
    private static async Task DialsAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        const string Over = """
            SELECT l.id, l.attempts, count(c.id) FILTER (WHERE c.provider_call_id IS NOT NULL)::int
            FROM leads l LEFT JOIN calls c ON c.lead_id = l.id
            WHERE l.campaign_id = @c
            GROUP BY l.id, l.attempts
            HAVING l.attempts > @max OR count(c.id) FILTER (WHERE c.provider_call_id IS NOT NULL) > @max
            """;
        await foreach (var row in QueryAsync(connection, Over, campaign, cancellationToken, ("max", campaign.MaxAttempts)))
        {
            result.Anomalies.Add($"attempts: lead {row.GetGuid(0)} has attempts={row.GetInt32(1)} and {row.GetInt32(2)} dialled call(s) (max {campaign.MaxAttempts})");
        }

        // The campaign's slots: never more calls live at once (queued → final, as the dialer counts them) than it allows.
        const string Pacing = """
            SELECT COALESCE(max(live), 0)::int FROM (
                SELECT sum(delta) OVER (ORDER BY at, delta ROWS UNBOUNDED PRECEDING) AS live FROM (
                    SELECT created_at AS at, 1 AS delta FROM calls WHERE campaign_id = @c
                    UNION ALL
                    SELECT ended_at, -1 FROM calls WHERE campaign_id = @c AND ended_at IS NOT NULL) events) running
            """;
        await foreach (var row in QueryAsync(connection, Pacing, campaign, cancellationToken))
        {
            result.PeakLiveCalls = row.GetInt32(0);
            if (result.PeakLiveCalls > campaign.MaxConcurrentCalls)
            {
                result.Anomalies.Add($"pacing: {result.PeakLiveCalls} calls were live at once (the campaign allows {campaign.MaxConcurrentCalls})");
            }
        }

        const string Overlap = """
            SELECT a.lead_id, a.id, b.id FROM calls a JOIN calls b ON a.lead_id = b.lead_id AND a.id < b.id
            WHERE a.campaign_id = @c
              AND tstzrange(a.created_at, COALESCE(a.ended_at, 'infinity')) && tstzrange(b.created_at, COALESCE(b.ended_at, 'infinity'))
            """;
        await foreach (var row in QueryAsync(connection, Overlap, campaign, cancellationToken))
        {
            result.Anomalies.Add($"dialled twice at once: lead {row.GetGuid(0)}, calls {row.GetGuid(1)} and {row.GetGuid(2)} overlap");
        }
    }

    private static async Task CallsFinalAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT id, status, updated_at FROM calls WHERE campaign_id = @c AND (status IN ('queued', 'initiated', 'ringing', 'in_progress') OR ended_at IS NULL)";
        await foreach (var row in QueryAsync(connection, Sql, campaign, cancellationToken))
        {
            result.Anomalies.Add($"call not final: call {row.GetGuid(0)} is {row.GetString(1)} (last change {row.GetDateTime(2):O})");
        }
    }

    /// <summary>Every dial happened inside 08:00–21:00 in the lead's own zone.</summary>
    private static async Task CallingWindowAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        const string Sql = "SELECT c.id, l.time_zone, COALESCE(c.started_at, c.created_at) FROM calls c JOIN leads l ON l.id = c.lead_id WHERE c.campaign_id = @c";
        await foreach (var row in QueryAsync(connection, Sql, campaign, cancellationToken))
        {
            var local = FaultCampaign.LocalTime(row.GetString(1), new DateTimeOffset(row.GetDateTime(2), TimeSpan.Zero));
            if (local < new TimeOnly(8, 0) || local >= new TimeOnly(21, 0))
            {
                result.Anomalies.Add($"calling window: call {row.GetGuid(0)} dialled at {local:HH:mm} in {row.GetString(1)}");
            }
        }
    }

    /// <summary>One analysis job per completed call (and its analysis stored), one callback per call, one DNC entry and no call after it.</summary>
    private static async Task SideEffectsAsync(NpgsqlConnection connection, FaultCampaign campaign, FaultAuditResult result, CancellationToken cancellationToken)
    {
        const string Analysis = """
            SELECT c.id, c.status, count(j.job_id)::int AS jobs,
                   count(p.job_id)::int AS processed,
                   c.analysis IS NOT NULL AS analysed,
                   EXISTS (SELECT 1 FROM call_turns t WHERE t.call_id = c.id AND t.speaker = 'caller') AS lead_spoke
            FROM calls c
            LEFT JOIN faults_job_ledger j ON j.job_type = 'analyze-call' AND (j.payload->>'callId')::uuid = c.id
            LEFT JOIN processed_jobs p ON p.job_id = j.job_id
            WHERE c.campaign_id = @c
            GROUP BY c.id
            """;
        await foreach (var row in QueryAsync(connection, Analysis, campaign, cancellationToken))
        {
            var (id, status, jobs, processed, analysed, leadSpoke) = (row.GetGuid(0), row.GetString(1), row.GetInt32(2), row.GetInt32(3), row.GetBoolean(4), row.GetBoolean(5));
            if (jobs > 1)
            {
                result.Anomalies.Add($"duplicate: call {id} has {jobs} analysis jobs");
            }
            else if (status == "completed" && jobs == 0)
            {
                result.Anomalies.Add($"lost: completed call {id} has no analysis job");
            }
            else if (processed == 1 && leadSpoke && !analysed)
            {
                result.Anomalies.Add($"lost: call {id}'s analysis job was processed but no analysis is stored");
            }
        }

        const string Callbacks = "SELECT call_id, count(*)::int FROM callbacks WHERE campaign_id = @c AND call_id IS NOT NULL GROUP BY call_id HAVING count(*) > 1";
        await foreach (var row in QueryAsync(connection, Callbacks, campaign, cancellationToken))
        {
            result.Anomalies.Add($"duplicate: call {row.GetGuid(0)} booked {row.GetInt32(1)} callbacks");
        }

        const string DoNotCall = """
            SELECT l.id, count(d.phone)::int,
                   (SELECT count(*) FROM calls c WHERE c.lead_id = l.id AND c.created_at > min(d.added_at))::int AS later_calls
            FROM leads l LEFT JOIN do_not_call d ON d.phone = l.phone
            WHERE l.campaign_id = @c AND (l.status = 'do_not_call' OR d.phone IS NOT NULL)
            GROUP BY l.id
            """;
        await foreach (var row in QueryAsync(connection, DoNotCall, campaign, cancellationToken))
        {
            if (row.GetInt32(1) != 1)
            {
                result.Anomalies.Add($"do-not-call: lead {row.GetGuid(0)} has {row.GetInt32(1)} do-not-call entries");
            }

            if (row.GetInt32(2) > 0)
            {
                result.Anomalies.Add($"do-not-call: lead {row.GetGuid(0)} was dialled {row.GetInt32(2)} time(s) after opting out");
            }
        }
    }

    /// <summary>
    /// Every job the outbox ever held (the ledger) was processed (its marker) or dead-lettered; nothing still waits in
    /// the outbox, a stream, a pending list or a retry set; periodic jobs written after the campaign settled may still
    /// be in flight and are left out.
    /// </summary>
    private static async Task JobsAsync(NpgsqlConnection connection, SystemUnderFault stack, FaultAuditResult result, CancellationToken cancellationToken)
    {
        await using var redis = await stack.ConnectRedisAsync();
        var database = redis.GetDatabase();
        var dead = new HashSet<Guid>();
        foreach (var type in AllJobTypes)
        {
            foreach (var entry in await database.StreamRangeAsync(QueueKeys.DeadLetters(type)))
            {
                result.DeadLetters++;
                var id = entry.Values.FirstOrDefault(value => value.Name == "id").Value;
                if (Guid.TryParse(id.ToString(), out var jobId))
                {
                    dead.Add(jobId);
                }
            }
        }

        // Jobs still on their way may finish: wait (bounded) for everything written up to now.
        var cutoff = DateTime.UtcNow;
        var unfinished = new List<(Guid Id, string Type, bool InOutbox)>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            unfinished.Clear();
            const string Sql = """
                SELECT j.job_id, j.job_type, EXISTS (SELECT 1 FROM job_outbox o WHERE o.job_id = j.job_id)
                FROM faults_job_ledger j
                WHERE j.first_at < @cutoff AND NOT EXISTS (SELECT 1 FROM processed_jobs p WHERE p.job_id = j.job_id)
                """;
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("cutoff", cutoff);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (!dead.Contains(reader.GetGuid(0)))
                    {
                        unfinished.Add((reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
                    }
                }
            }

            if (unfinished.Count == 0)
            {
                break;
            }

            await Task.Delay(1000, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        await using (var count = new NpgsqlCommand("SELECT count(*)::int FROM faults_job_ledger WHERE first_at < @cutoff", connection))
        {
            count.Parameters.AddWithValue("cutoff", cutoff);
            result.Jobs = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        foreach (var (id, type, inOutbox) in unfinished)
        {
            result.Anomalies.Add(inOutbox
                ? $"job stuck: {type} job {id} is still in the outbox 60 s after the campaign settled"
                : $"job vanished: {type} job {id} left the outbox but was neither processed nor dead-lettered within 60 s");
        }
    }

    private static readonly string[] AllJobTypes = [JobTypes.Dialer, JobTypes.PlaceCall, JobTypes.AnalyzeCall, JobTypes.ReapCalls, JobTypes.Retention];

    private static async IAsyncEnumerable<NpgsqlDataReader> QueryAsync(
        NpgsqlConnection connection, string sql, FaultCampaign campaign,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("c", campaign.Id);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader;
        }
    }
}
