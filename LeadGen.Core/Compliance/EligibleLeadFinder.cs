using Npgsql;

namespace LeadGen.Core.Compliance;

/// <summary>
/// Reads a campaign's dial candidates and passes each through <see cref="CallEligibilityPolicy"/>. The SQL only
/// narrows the scan (it never admits a lead by itself); every returned lead was judged by the policy at the current
/// time of the injected clock. Candidates are locked (<c>FOR UPDATE SKIP LOCKED</c>) for the caller's transaction.
/// </summary>
public sealed class EligibleLeadFinder(CallEligibilityPolicy policy, TimeProvider timeProvider)
{
    private const int PageSize = 200;

    public async Task<DialSelection> FindAsync(
        NpgsqlTransaction transaction, Guid campaignId, DialRules rules, int wanted, int scanLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var now = timeProvider.GetUtcNow();
        var eligible = new List<EligibleLead>();
        var skipped = new List<EligibilityDecision>();
        var scanned = 0;
        var after = Guid.Empty;
        while (eligible.Count < wanted && scanned < scanLimit)
        {
            var page = await ReadCandidatesAsync(transaction, campaignId, rules, now, after, Math.Min(PageSize, scanLimit - scanned), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            scanned += page.Count;
            after = page[^1].LeadId;
            foreach (var candidate in page)
            {
                var decision = policy.Evaluate(candidate, rules, now, CallEligibilityPolicy.SelectableStatuses);
                if (decision.Eligible is { } lead && eligible.Count < wanted)
                {
                    eligible.Add(lead);
                }
                else if (!decision.IsEligible)
                {
                    skipped.Add(decision);
                }
            }
        }

        return new DialSelection(eligible, skipped, scanned, now);
    }

    /// <summary>
    /// The check made just before dialling (the job may have waited): re-reads the lead, locked, and judges it now.
    /// Null when the lead no longer exists.
    /// </summary>
    public async Task<EligibilityDecision?> RecheckAsync(
        NpgsqlTransaction transaction, Guid leadId, DialRules rules, IReadOnlyCollection<string> allowedStatuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var command = new NpgsqlCommand($"{SelectColumns} WHERE l.id = @lead_id FOR UPDATE OF l", transaction.Connection, transaction);
        command.Parameters.AddWithValue("lead_id", leadId);
        var lead = (await ReadAsync(command, cancellationToken)).SingleOrDefault();
        return lead is null ? null : policy.Evaluate(lead, rules, timeProvider.GetUtcNow(), allowedStatuses);
    }

    private const string SelectColumns = """
        SELECT l.id, l.campaign_id, l.phone, l.time_zone, l.status, l.consent_given_at, l.attempts, l.last_attempt_at,
               l.next_attempt_at, l.erased_at,
               EXISTS (SELECT 1 FROM do_not_call d WHERE d.phone = l.phone) AS on_dnc
        FROM leads l
        """;

    private static async Task<IReadOnlyList<DialCandidate>> ReadCandidatesAsync(
        NpgsqlTransaction transaction, Guid campaignId, DialRules rules, DateTimeOffset now, Guid after, int limit, CancellationToken cancellationToken)
    {
        // Narrowing only: statuses, attempts, due time, no live call. DNC, consent, spacing and the calling window are
        // left to the policy, which sees every candidate returned here.
        await using var command = new NpgsqlCommand($"""
            {SelectColumns}
            WHERE l.campaign_id = @campaign_id AND l.id > @after
              AND l.status = ANY(@statuses) AND l.erased_at IS NULL AND l.phone IS NOT NULL
              AND l.attempts < @max_attempts
              AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= @now)
              AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.lead_id = l.id AND c.status IN ('queued', 'initiated', 'ringing', 'in_progress'))
            ORDER BY l.id
            LIMIT @limit
            FOR UPDATE OF l SKIP LOCKED
            """, transaction.Connection, transaction);
        command.Parameters.AddWithValue("campaign_id", campaignId);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("statuses", CallEligibilityPolicy.SelectableStatuses.ToArray());
        command.Parameters.AddWithValue("max_attempts", rules.MaxAttempts);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<DialCandidate>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var candidates = new List<DialCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new DialCandidate
            {
                LeadId = reader.GetGuid(0),
                CampaignId = reader.GetGuid(1),
                Phone = reader.IsDBNull(2) ? null : reader.GetString(2),
                TimeZone = reader.IsDBNull(3) ? null : reader.GetString(3),
                Status = reader.GetString(4),
                ConsentGivenAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                Attempts = reader.GetInt32(6),
                LastAttemptAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                NextAttemptAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                ErasedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                OnDoNotCallList = reader.GetBoolean(10),
            });
        }

        return candidates;
    }
}

/// <param name="Eligible">Leads to call now (at most the number wanted).</param>
/// <param name="Skipped">Candidates the policy refused, with the reason.</param>
/// <param name="Scanned">Candidates read.</param>
/// <param name="DecidedAt">The clock time every decision was made at.</param>
public sealed record DialSelection(IReadOnlyList<EligibleLead> Eligible, IReadOnlyList<EligibilityDecision> Skipped, int Scanned, DateTimeOffset DecidedAt);
