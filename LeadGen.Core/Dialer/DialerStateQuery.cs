using LeadGen.Core.Calls;
using LeadGen.Core.Compliance;
using LeadGen.Core.Persistence;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Dialer;

/// <summary>A campaign's dialer as operators see it: call slots, the next lead due, the last dial error.</summary>
/// <param name="TelephonyProvider">The provider this deployment dials with.</param>
/// <param name="CanDial">False when no real provider is configured (calls would never progress; starting is refused).</param>
/// <param name="MaxConcurrentCalls">The campaign's setting, else the dialer's default.</param>
/// <param name="NextDueLeadAt">When the earliest lead the dialer may pick becomes due (now if one is due; the calling
/// window is judged at dial time, per lead); null when no lead is left to dial.</param>
public sealed record DialerState(
    Guid CampaignId,
    string CampaignStatus,
    string TelephonyProvider,
    bool CanDial,
    int LiveCalls,
    IReadOnlyDictionary<string, int> LiveCallsByStatus,
    int MaxConcurrentCalls,
    bool UsesDefaultMaxConcurrentCalls,
    int FreeSlots,
    int LeadsToDial,
    DateTimeOffset? NextDueLeadAt,
    DialError? LastDialError);

/// <summary>The latest call of the campaign that failed with an error (provider refusal, unknown outcome, reaped).</summary>
public sealed record DialError(Guid CallId, DateTimeOffset At, string Error);

public sealed class DialerStateQuery(NpgsqlDataSource dataSource, IOptions<DialerOptions> options, ITelephonyProvider telephony, TimeProvider clock)
{
    /// <returns>Null when the campaign does not exist.</returns>
    public async Task<DialerState?> GetAsync(Guid campaignId, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT c.status, c.max_concurrent_calls,
                   (SELECT coalesce(jsonb_object_agg(status, n), '{}'::jsonb)::text
                      FROM (SELECT status, count(*) AS n FROM calls WHERE campaign_id = c.id AND status = ANY(@live) GROUP BY status) s) AS live,
                   (SELECT count(*) FROM leads l WHERE l.campaign_id = c.id AND l.status = ANY(@selectable) AND l.erased_at IS NULL
                      AND l.phone IS NOT NULL AND l.attempts < c.max_attempts)::int AS to_dial,
                   (SELECT min(greatest(coalesce(l.next_attempt_at, @now), coalesce(l.last_attempt_at + make_interval(mins => c.retry_spacing_minutes), @now), @now))
                      FROM leads l WHERE l.campaign_id = c.id AND l.status = ANY(@selectable) AND l.erased_at IS NULL
                      AND l.phone IS NOT NULL AND l.attempts < c.max_attempts) AS next_due,
                   e.id AS error_call_id, coalesce(e.ended_at, e.updated_at) AS error_at, e.error
            FROM campaigns c
            LEFT JOIN LATERAL (SELECT id, ended_at, updated_at, error FROM calls
                               WHERE campaign_id = c.id AND status = 'failed' AND error IS NOT NULL
                               ORDER BY coalesce(ended_at, updated_at) DESC LIMIT 1) e ON true
            WHERE c.id = @id
            """, null, cancellationToken);
        scope.With("id", campaignId);
        scope.With("live", CallStatuses.Live.ToArray());
        scope.With("selectable", CallEligibilityPolicy.SelectableStatuses.ToArray());
        scope.With("now", clock.GetUtcNow());
        var rows = await scope.Command.ReadListAsync(reader =>
        {
            var byStatus = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(reader.Get<string>("live")) ?? [];
            var configured = reader.GetOrNull<int>("max_concurrent_calls");
            var max = configured ?? options.Value.DefaultMaxConcurrentCalls;
            var live = byStatus.Values.Sum();
            var errorCall = reader.GetOrNull<Guid>("error_call_id");
            return new DialerState(
                campaignId,
                reader.Get<string>("status"),
                telephony.Name,
                !RecordingTelephonyProvider.IsStandIn(telephony),
                live,
                byStatus,
                max,
                configured is null,
                Math.Max(0, max - live),
                reader.Get<int>("to_dial"),
                reader.GetOrNull<DateTimeOffset>("next_due"),
                errorCall is { } id ? new DialError(id, reader.Get<DateTimeOffset>("error_at"), reader.Get<string>("error")) : null);
        }, cancellationToken);
        return rows.SingleOrDefault();
    }
}
