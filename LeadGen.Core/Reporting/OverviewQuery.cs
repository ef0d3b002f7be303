using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Reporting;

/// <summary>Today's figures for the console's overview, for all campaigns or one.</summary>
public sealed record OverviewFigures
{
    public required long Dials { get; init; }

    public required long Answered { get; init; }

    /// <summary>Calls a person answered (answering-machine detection said human).</summary>
    public required long Conversations { get; init; }

    public required long Qualified { get; init; }

    /// <summary>Input + output tokens of calls created in the last hour (calls record their tokens as they go).</summary>
    public required long TokensLastHour { get; init; }

    public required IReadOnlyList<HourlyOutcome> CallsPerHour { get; init; }

    public required FunnelFigures Funnel { get; init; }

    public double? AnswerRate => Dials == 0 ? null : (double)Answered / Dials;
}

/// <summary>Calls created in one hour with one outcome (the disposition, else the call status).</summary>
public sealed record HourlyOutcome(DateTimeOffset Hour, string Outcome, long Calls);

/// <summary>Leads → dialled (any call) → answered → conversation (a person answered) → qualified, counted in leads.</summary>
/// <param name="AsOf">When these counts were taken (they are reused for up to <see cref="OverviewQuery.FunnelMaxAge"/>).</param>
public sealed record FunnelFigures(long Leads, long Dialled, long Answered, long Conversations, long Qualified, DateTimeOffset AsOf);

/// <summary>
/// The overview's queries: today's calls and the last 24 hours per hour and outcome, in one range scan on
/// <c>calls.created_at</c>, and the lead funnel. "Today" is the UTC day; the chart's hours are whole UTC hours. Calls of
/// hours that ended more than an hour ago ("settled" hours: their calls are over, bar a late analysis) are counted at
/// most once per <see cref="SettledHoursMaxAge"/> per filter, so a render scans only the last two hours' calls; the
/// funnel counts every lead and every called lead, which costs hundreds of milliseconds at a million leads, so it is
/// taken at most once per <see cref="FunnelMaxAge"/> per filter and shown with its time.
/// </summary>
public sealed class OverviewQuery(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan FunnelMaxAge = TimeSpan.FromMinutes(1);

    /// <summary>How stale the counts of settled hours (before the previous hour) may be.</summary>
    public static readonly TimeSpan SettledHoursMaxAge = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, FunnelFigures> _funnels = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, SettledHours> _settled = new();

    /// <summary>The alert threshold the seed's monitoring uses for LLM tokens per hour.</summary>
    public const long TokensPerHourAlert = 1_000_000;

    public async Task<OverviewFigures> GetAsync(Guid? campaignId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var thisHour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero);
        var chartFrom = thisHour.AddHours(-23);
        var from = today < chartFrom ? today : chartFrom;
        var settledUntil = thisHour.AddHours(-1); // before the previous hour: at least an hour old
        var key = campaignId ?? Guid.Empty;
        if (!_settled.TryGetValue(key, out var settled) || settled.From != from || settled.Until != settledUntil || now - settled.AsOf >= SettledHoursMaxAge)
        {
            settled = new SettledHours(from, settledUntil, (await BucketsAsync(campaignId, from, settledUntil, now, cancellationToken)).Buckets, now);
            _settled[key] = settled;
        }

        var (recent, tokens) = await BucketsAsync(campaignId, settledUntil, null, now, cancellationToken);
        var buckets = settled.Buckets.Concat(recent).ToList();
        var day = buckets.Where(bucket => bucket.Hour >= today).ToList();
        var funnel = await FunnelAsync(campaignId, now, cancellationToken);
        return new OverviewFigures
        {
            Dials = day.Sum(bucket => bucket.Calls),
            Answered = day.Sum(bucket => bucket.Answered),
            Conversations = day.Sum(bucket => bucket.Conversations),
            Qualified = day.Sum(bucket => bucket.Qualified),
            TokensLastHour = tokens,
            CallsPerHour = [.. buckets.Where(bucket => bucket.Hour >= chartFrom).OrderBy(bucket => bucket.Hour).ThenBy(bucket => bucket.Outcome, StringComparer.Ordinal)
                .Select(bucket => new HourlyOutcome(bucket.Hour, bucket.Outcome, bucket.Calls))],
            Funnel = funnel,
        };
    }

    /// <summary>Calls created in [<paramref name="from"/>, <paramref name="until"/>) per UTC hour and outcome, and the tokens of those created in the hour before <paramref name="now"/>.</summary>
    private async Task<(List<HourBucket> Buckets, long TokensLastHour)> BucketsAsync(Guid? campaignId, DateTimeOffset from, DateTimeOffset? until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // OFFSET 0 keeps the grouping out of the scan: the planner guesses thousands of (hour, outcome) groups and sorts
        // every row (spilling to disk at 60k rows); there are ~25 hours × a few outcomes, so they are hashed.
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT hour, outcome, count(*), count(answered_at),
                   count(*) FILTER (WHERE answered_by = 'human'), count(*) FILTER (WHERE disposition = 'qualified'),
                   coalesce(sum(tokens) FILTER (WHERE created_at >= @tokens_since), 0)::bigint
              FROM (SELECT created_at, date_trunc('hour', created_at, 'UTC') AS hour, coalesce(disposition, status) AS outcome,
                           answered_at, answered_by, disposition, input_tokens + output_tokens AS tokens
                      FROM calls
                     WHERE created_at >= @from AND (@until::timestamptz IS NULL OR created_at < @until)
                       AND (@campaign::uuid IS NULL OR campaign_id = @campaign)
                    OFFSET 0) recent
             GROUP BY 1, 2;
            """, null, cancellationToken);
        scope.Command.Parameters.AddWithValue("from", from);
        scope.Command.Parameters.Add(new NpgsqlParameter("until", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)until ?? DBNull.Value });
        scope.Command.Parameters.AddWithValue("tokens_since", now.AddHours(-1));
        scope.Command.Parameters.Add(new NpgsqlParameter("campaign", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)campaignId ?? DBNull.Value });
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        var buckets = new List<HourBucket>();
        long tokens = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new HourBucket(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
            tokens += reader.GetInt64(6);
        }

        return (buckets, tokens);
    }

    private sealed record HourBucket(DateTimeOffset Hour, string Outcome, long Calls, long Answered, long Conversations, long Qualified);

    private sealed record SettledHours(DateTimeOffset From, DateTimeOffset Until, IReadOnlyList<HourBucket> Buckets, DateTimeOffset AsOf);

    private async Task<FunnelFigures> FunnelAsync(Guid? campaignId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = campaignId ?? Guid.Empty;
        if (_funnels.TryGetValue(key, out var cached) && now - cached.AsOf < FunnelMaxAge)
        {
            return cached;
        }

        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT count(*) AS leads,
                   count(*) FILTER (WHERE status = 'qualified') AS qualified
              FROM leads
             WHERE erased_at IS NULL AND (@campaign::uuid IS NULL OR campaign_id = @campaign);
            SELECT count(DISTINCT lead_id) AS dialled,
                   count(DISTINCT lead_id) FILTER (WHERE answered_at IS NOT NULL) AS answered,
                   count(DISTINCT lead_id) FILTER (WHERE answered_by = 'human') AS conversations
              FROM calls
             WHERE lead_id IS NOT NULL AND (@campaign::uuid IS NULL OR campaign_id = @campaign);
            """, null, cancellationToken);
        scope.Command.Parameters.Add(new NpgsqlParameter("campaign", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)campaignId ?? DBNull.Value });
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long leads = reader.GetInt64(0), qualified = reader.GetInt64(1);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var funnel = new FunnelFigures(leads, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), qualified, now);
        _funnels[key] = funnel;
        return funnel;
    }
}
