using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Compliance;

/// <summary>Payload of a <c>retention</c> job (none needed: the cut-offs come from configuration and the clock).</summary>
public sealed record RetentionJob;

/// <summary>
/// Deletes call data past its retention, in the job's transaction: recordings (the stored audio through
/// <see cref="IRecordingStore"/>, then the call's link to it), transcript turns (call_turns) of calls that ended before
/// the cut-off, and old queue idempotency markers. Audio is deleted before its link: if the job fails midway the links
/// remain and the next run deletes again (a missing object counts as deleted). Links to recordings held by the
/// telephony provider (calls.recording_url) are dropped; that audio is the provider's to delete.
/// </summary>
public sealed class RetentionJobHandler(
    IOptions<RetentionOptions> options,
    IRecordingStore recordingStore,
    TimeProvider timeProvider,
    RetentionTelemetry telemetry,
    ILogger<RetentionJobHandler> logger) : JobHandler<RetentionJob>
{
    private const int RecordingBatch = 500;

    protected override async Task HandleAsync(RetentionJob payload, JobContext context, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var settings = options.Value;
        var recordings = await DeleteRecordingsAsync(context, now, now - settings.Recordings, cancellationToken);
        var links = await ExecuteAsync(context, """
            UPDATE calls SET recording_url = NULL, updated_at = @now
            WHERE recording_url IS NOT NULL AND COALESCE(ended_at, created_at) < @cutoff
            """, now, now - settings.Recordings, cancellationToken);
        var turns = await ExecuteAsync(context, """
            DELETE FROM call_turns t USING calls c
            WHERE t.call_id = c.id AND COALESCE(c.ended_at, c.created_at) < @cutoff
            """, now, now - settings.Transcripts, cancellationToken);
        var markers = await ExecuteAsync(context, "DELETE FROM processed_jobs WHERE processed_at < @cutoff", now, now - settings.ProcessedJobMarkers, cancellationToken);

        telemetry.Deleted.Add(recordings, new KeyValuePair<string, object?>("leadgen.retention.kind", "recording"));
        telemetry.Deleted.Add(links, new KeyValuePair<string, object?>("leadgen.retention.kind", "recording_link"));
        telemetry.Deleted.Add(turns, new KeyValuePair<string, object?>("leadgen.retention.kind", "transcript_turn"));
        telemetry.Deleted.Add(markers, new KeyValuePair<string, object?>("leadgen.retention.kind", "processed_job_marker"));
        logger.LogInformation(
            "Retention: {Recordings} recording(s), {Links} provider recording link(s), {Turns} transcript turn(s), {Markers} job marker(s) deleted",
            recordings,
            links,
            turns,
            markers);
    }

    /// <summary>Recordings of calls that ended before the cut-off, in batches: the audio, then the call's link.</summary>
    private async Task<int> DeleteRecordingsAsync(JobContext context, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var batch = new List<(Guid Id, string Key)>();
            await using (var select = new NpgsqlCommand("""
                SELECT id, recording_key FROM calls
                WHERE recording_key IS NOT NULL AND COALESCE(ended_at, created_at) < @cutoff
                LIMIT @limit FOR UPDATE SKIP LOCKED
                """, context.Connection, context.Transaction))
            {
                select.Parameters.AddWithValue("cutoff", cutoff);
                select.Parameters.AddWithValue("limit", RecordingBatch);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (item, ct) => await recordingStore.DeleteAsync(item.Key, ct));

            await using (var unlink = new NpgsqlCommand("UPDATE calls SET recording_key = NULL, updated_at = @now WHERE id = ANY(@ids)", context.Connection, context.Transaction))
            {
                unlink.Parameters.AddWithValue("now", now);
                unlink.Parameters.AddWithValue("ids", batch.Select(item => item.Id).ToArray());
                await unlink.ExecuteNonQueryAsync(cancellationToken);
            }

            total += batch.Count;
            if (batch.Count < RecordingBatch)
            {
                return total;
            }
        }
    }

    private static async Task<int> ExecuteAsync(JobContext context, string sql, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, context.Connection, context.Transaction);
        if (sql.Contains("@now", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("now", now);
        }

        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
