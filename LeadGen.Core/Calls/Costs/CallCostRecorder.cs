using System.Text.Json;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Calls.Costs;

/// <summary>
/// Stores a finished call's cost (<c>calls.cost_usd</c>, <c>calls.cost_detail</c>) in the caller's transaction and
/// reports it as the <c>leadgen.call.cost</c> histogram (USD). Run by the analyze-call job, after the analysis added its
/// own tokens, so the stored cost includes them; a rerun recomputes the same figures.
/// </summary>
public sealed class CallCostRecorder(CallCostCalculator calculator, CallCostTelemetry telemetry, ILogger<CallCostRecorder> logger)
{
    public async Task<CallCost?> RecordAsync(Guid callId, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        CallUsage usage;
        await using (var select = new NpgsqlCommand("""
            SELECT c.provider, c.direction, c.model, c.input_tokens, c.output_tokens, c.duration_seconds,
                   COALESCE(p.voice_mode, 'native_audio') AS voice_mode, COALESCE(c.started_at, c.created_at) AS at
            FROM calls c LEFT JOIN campaigns p ON p.id = c.campaign_id WHERE c.id = @id
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("id", callId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            usage = new CallUsage(
                reader.Get<string>("provider"),
                reader.Get<string>("direction"),
                reader.GetStringOrNull("model"),
                reader.Get<long>("input_tokens"),
                reader.Get<long>("output_tokens"),
                reader.GetOrNull<int>("duration_seconds"),
                reader.Get<string>("voice_mode"),
                reader.Get<DateTimeOffset>("at"));
        }

        var cost = calculator.Calculate(usage);
        await using (var update = new NpgsqlCommand("UPDATE calls SET cost_usd = @cost, cost_detail = @detail, updated_at = now() WHERE id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", callId);
            update.Parameters.AddWithValue("cost", cost.TotalUsd);
            update.AddJsonb("detail", cost);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        telemetry.Cost.Record(
            (double)cost.TotalUsd,
            new KeyValuePair<string, object?>("leadgen.call.provider", usage.Provider),
            new KeyValuePair<string, object?>("gen_ai.request.model", usage.Model ?? "none"));
        if (cost.Unpriced.Count > 0)
        {
            logger.LogWarning("Call {CallId}: cost is incomplete: {Unpriced}", callId, string.Join("; ", cost.Unpriced));
        }

        return cost;
    }
}
