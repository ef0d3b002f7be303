using LeadGen.Core.Persistence;
using Npgsql;

namespace LeadGen.Core.Campaigns;

/// <summary>Aggregates for one campaign; they stay correct after erasures (erasure keeps status, duration, tokens).</summary>
public sealed record CampaignStats
{
    public required Guid CampaignId { get; init; }

    public required long Leads { get; init; }

    /// <summary>Lead count per lifecycle status (every status present, zero when none).</summary>
    public required IReadOnlyDictionary<string, long> LeadsByStatus { get; init; }

    /// <summary>qualified / (qualified + disqualified); null until a lead reached either outcome.</summary>
    public double? QualificationRate { get; init; }

    public required long Calls { get; init; }

    public required long CallsAnswered { get; init; }

    /// <summary>Mean duration of calls with a recorded duration; null when none.</summary>
    public double? AverageCallDurationSeconds { get; init; }

    public required long InputTokens { get; init; }

    public required long OutputTokens { get; init; }

    /// <summary>What the campaign's calls cost, USD (each call is priced when it is analysed after it ends).</summary>
    public decimal TotalCostUsd { get; init; }

    /// <summary>Calls that have a cost (the others are unanswered, or not analysed yet).</summary>
    public long CallsCosted { get; init; }

    /// <summary>Total cost over qualified leads; null until a lead qualified.</summary>
    public decimal? CostPerQualifiedLead { get; init; }
}

public sealed class CampaignStatsQuery(NpgsqlDataSource dataSource)
{
    public async Task<CampaignStats> GetAsync(Guid campaignId, CancellationToken cancellationToken)
    {
        var byStatus = Leads.LeadStatuses.All.ToDictionary(status => status, _ => 0L);
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT status, count(*) AS n FROM leads WHERE campaign_id = @id GROUP BY status;
            SELECT count(*) AS calls,
                   count(answered_at) AS answered,
                   avg(duration_seconds)::float8 AS avg_duration,
                   COALESCE(sum(input_tokens), 0)::bigint AS input_tokens,
                   COALESCE(sum(output_tokens), 0)::bigint AS output_tokens,
                   COALESCE(sum(cost_usd), 0) AS cost,
                   count(cost_usd) AS costed
            FROM calls WHERE campaign_id = @id;
            """, null, cancellationToken);
        scope.With("id", campaignId);
        await using var reader = await scope.Command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byStatus[reader.Get<string>("status")] = reader.Get<long>("n");
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var decided = byStatus[Leads.LeadStatuses.Qualified] + byStatus[Leads.LeadStatuses.Disqualified];
        return new CampaignStats
        {
            CampaignId = campaignId,
            Leads = byStatus.Values.Sum(),
            LeadsByStatus = byStatus,
            QualificationRate = decided == 0 ? null : (double)byStatus[Leads.LeadStatuses.Qualified] / decided,
            Calls = reader.Get<long>("calls"),
            CallsAnswered = reader.Get<long>("answered"),
            AverageCallDurationSeconds = reader.GetOrNull<double>("avg_duration"),
            InputTokens = reader.Get<long>("input_tokens"),
            OutputTokens = reader.Get<long>("output_tokens"),
            TotalCostUsd = reader.Get<decimal>("cost"),
            CallsCosted = reader.Get<long>("costed"),
            CostPerQualifiedLead = byStatus[Leads.LeadStatuses.Qualified] == 0 ? null : decimal.Round(reader.Get<decimal>("cost") / byStatus[Leads.LeadStatuses.Qualified], 4),
        };
    }
}
