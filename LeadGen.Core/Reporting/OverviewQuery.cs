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

    /// <summary>What today's calls cost so far (priced when each is analysed after it ends), USD.</summary>
    public decimal CostToday { get; init; }

    /// <summary>Today's cost over today's qualified calls; null when none qualified.</summary>
    public decimal? CostPerQualified => Qualified == 0 ? null : decimal.Round(CostToday / Qualified, 4);

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
/// The overview's queries: today's calls (a range scan on <c>calls.created_at</c>), the last 24 hours per hour and
/// outcome, and the lead funnel. "Today" is the UTC day. The funnel counts every lead and every called lead, which costs
/// hundreds of milliseconds at a million leads, so it is taken at most once per <see cref="FunnelMaxAge"/> per filter
/// and shown with its time; the day's figures are always fresh.
/// </summary>
public sealed class OverviewQuery(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly TimeSpan FunnelMaxAge = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, FunnelFigures> _funnels = new();

    /// <summary>The alert threshold the seed's monitoring uses for LLM tokens per hour.</summary>
    public const long TokensPerHourAlert = 1_000_000;

    public async Task<OverviewFigures> GetAsync(Guid? campaignId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT count(*) FILTER (WHERE created_at >= @today) AS dials,
                   count(answered_at) FILTER (WHERE created_at >= @today) AS answered,
                   count(*) FILTER (WHERE created_at >= @today AND answered_by = 'human') AS conversations,
                   count(*) FILTER (WHERE created_at >= @today AND disposition = 'qualified') AS qualified,
                   coalesce(sum(input_tokens + output_tokens) FILTER (WHERE created_at >= @hour), 0)::bigint AS tokens,
                   coalesce(sum(cost_usd) FILTER (WHERE created_at >= @today), 0) AS cost
              FROM calls
             WHERE created_at >= least(@today, @hour) AND (@campaign::uuid IS NULL OR campaign_id = @campaign);
            SELECT date_trunc('hour', created_at) AS hour, coalesce(disposition, status) AS outcome, count(*) AS n
              FROM calls
             WHERE created_at >= @day AND (@campaign::uuid IS NULL OR campaign_id = @campaign)
             GROUP BY 1, 2 ORDER BY 1, 2;
            """, null, cancellationToken);
        scope.Command.Parameters.AddWithValue("today", today);
        scope.Command.Parameters.AddWithValue("hour", now.AddHours(-1));
        scope.Command.Parameters.AddWithValue("day", now.AddHours(-23));
        scope.Command.Parameters.Add(new NpgsqlParameter("campaign", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)campaignId ?? DBNull.Value });
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long dials = reader.GetInt64(0), answered = reader.GetInt64(1), conversations = reader.GetInt64(2), qualified = reader.GetInt64(3), tokens = reader.GetInt64(4);
        var cost = reader.GetDecimal(5);
        await reader.NextResultAsync(cancellationToken);
        var hourly = new List<HourlyOutcome>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hourly.Add(new HourlyOutcome(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt64(2)));
        }

        await reader.DisposeAsync();
        var funnel = await FunnelAsync(campaignId, now, cancellationToken);
        return new OverviewFigures
        {
            Dials = dials,
            Answered = answered,
            Conversations = conversations,
            Qualified = qualified,
            TokensLastHour = tokens,
            CostToday = cost,
            CallsPerHour = hourly,
            Funnel = funnel,
        };
    }

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
