using System.Diagnostics.Metrics;
using LeadGen.Core.Queue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Compliance;

/// <summary>Payload of a <c>retention</c> job (none needed: the cut-offs come from configuration and the clock).</summary>
public sealed record RetentionJob;

/// <summary>
/// Deletes call data past its retention, in the job's transaction: recording references (calls.recording_url) and
/// transcript turns (call_turns) of calls that ended before the cut-off, and old queue idempotency markers.
/// Partial: the recording files themselves live with the telephony provider or in storage; deleting those needs a
/// recording-storage client, which no feature provides yet — this job removes our reference to them.
/// </summary>
public sealed class RetentionJobHandler(
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    IMeterFactory meterFactory,
    ILogger<RetentionJobHandler> logger) : JobHandler<RetentionJob>
{
    private readonly Counter<long> _deleted = meterFactory.Create("LeadGen.Retention")
        .CreateCounter<long>("leadgen.retention.deleted", "{item}", "Items deleted by retention, by kind.");

    protected override async Task HandleAsync(RetentionJob payload, JobContext context, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var settings = options.Value;
        var recordings = await ExecuteAsync(context, """
            UPDATE calls SET recording_url = NULL, updated_at = @now
            WHERE recording_url IS NOT NULL AND COALESCE(ended_at, created_at) < @cutoff
            """, now, now - settings.Recordings, cancellationToken);
        var turns = await ExecuteAsync(context, """
            DELETE FROM call_turns t USING calls c
            WHERE t.call_id = c.id AND COALESCE(c.ended_at, c.created_at) < @cutoff
            """, now, now - settings.Transcripts, cancellationToken);
        var markers = await ExecuteAsync(context, "DELETE FROM processed_jobs WHERE processed_at < @cutoff", now, now - settings.ProcessedJobMarkers, cancellationToken);

        _deleted.Add(recordings, new KeyValuePair<string, object?>("leadgen.retention.kind", "recording"));
        _deleted.Add(turns, new KeyValuePair<string, object?>("leadgen.retention.kind", "transcript_turn"));
        _deleted.Add(markers, new KeyValuePair<string, object?>("leadgen.retention.kind", "processed_job_marker"));
        logger.LogInformation("Retention: {Recordings} recording reference(s), {Turns} transcript turn(s), {Markers} job marker(s) deleted", recordings, turns, markers);
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
