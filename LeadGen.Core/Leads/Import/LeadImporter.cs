using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Leads.Import;

/// <summary>
/// Streams an upload into a campaign: rows are read, validated and normalised one at a time and written with binary
/// COPY into a temporary staging table, then merged into <c>leads</c> with one INSERT ... SELECT, all inside one
/// transaction — so an import is all there or not there, whatever happens midway.
/// <para>Duplicate rule: the phone number (E.164) identifies a lead within a campaign. The first row with a number
/// wins; a later row with the same number in the same file, or a row whose number the campaign already has, is
/// skipped and reported as a duplicate. Existing leads are never modified by an import (re-importing a file is a
/// no-op). Duplicates are not errors: they do not roll back an atomic import.</para>
/// <para>Numbers on the do-not-call list are imported with status do_not_call (counted in RowsDoNotCall), so the
/// dialer never queues them.</para>
/// <para>Atomic mode: if any row is rejected, nothing is imported (status rolled_back) and every error is reported.</para>
/// <para>Memory: the upload is never held, but the in-file duplicate check keeps one entry per distinct number
/// (roughly 100 bytes each: ~100 MB for a 1,000,000-row file); row errors beyond Leads:ImportMaxStoredErrors are
/// counted, not kept.</para>
/// </summary>
public sealed class LeadImporter(
    NpgsqlDataSource dataSource,
    ImportJobStore jobs,
    LeadRowParser parser,
    IOptions<LeadOptions> options,
    TimeProvider clock,
    ImportTelemetry telemetry,
    ILogger<LeadImporter> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads the whole upload into the job's campaign and returns the finished job.</summary>
    public async Task<ImportJob> RunAsync(ImportJob job, Stream upload, CancellationToken cancellationToken)
    {
        using var activity = ImportTelemetry.ActivitySource.StartActivity("import leads");
        activity?.SetTag("leadgen.import.id", job.Id);
        activity?.SetTag("leadgen.campaign.id", job.CampaignId);
        var limited = new SizeLimitedStream(upload, options.Value.ImportMaxBytes);
        LeadRecordReader reader = job.Format == ImportFormats.JsonLines ? new JsonLinesLeadReader(limited) : new CsvLeadReader(limited);
        var state = new ImportState(options.Value.ImportMaxStoredErrors);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await CreateStagingTableAsync(connection, transaction, cancellationToken);
            await StageRowsAsync(job, reader, connection, state, cancellationToken);

            if (job.Atomic && state.Rejected > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await FinishAsync(job, ImportJobStatuses.RolledBack, reader, state, $"{state.Rejected} row(s) were rejected and atomic=true: nothing was imported.", null);
            }

            await MergeAsync(job, connection, transaction, state, cancellationToken);
            await jobs.FinishAsync(job.Id, ImportJobStatuses.Completed, state.Counts(reader.BytesRead), reader.IgnoredColumns, null, state.Errors, cancellationToken, transaction);
            await transaction.CommitAsync(cancellationToken);
            Record(activity, state);
            return (await jobs.GetAsync(job.Id, CancellationToken.None))!;
        }
        catch (Exception ex) when (ex is ImportFormatException or ImportTooLargeException or OperationCanceledException or IOException)
        {
            var reason = ex switch
            {
                OperationCanceledException or IOException => "The upload was interrupted before it finished; nothing was imported.",
                _ => ex.Message,
            };
            logger.LogWarning("Import {ImportId} failed: {Reason}", job.Id, reason);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            await FinishAsync(job, ImportJobStatuses.Failed, reader, state with { Imported = 0, DoNotCall = 0 }, reason, null);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import {ImportId} failed unexpectedly", job.Id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await FinishAsync(job, ImportJobStatuses.Failed, reader, state with { Imported = 0, DoNotCall = 0 }, "The import failed on the server; nothing was imported.", null);
            throw;
        }
    }

    private static async Task CreateStagingTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            CREATE TEMP TABLE lead_import_staging (
                id uuid NOT NULL, row_no integer NOT NULL, name text, phone text NOT NULL, email text, company text,
                role text, time_zone text, source text, consent_given_at timestamptz, consent_method text
            ) ON COMMIT DROP
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Reading and validating (CPU: CSV, UTF-8, libphonenumber) runs on its own task and hands valid rows over a bounded
    /// channel to the COPY writer, so parsing the next rows overlaps with encoding and sending the previous ones.
    /// The bound keeps memory flat: a slow database slows the reader down instead of queueing the file.
    /// </summary>
    private async Task StageRowsAsync(ImportJob job, LeadRecordReader reader, NpgsqlConnection connection, ImportState state, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rows = Channel.CreateBounded<(int Row, NewLead Lead)>(new BoundedChannelOptions(2048) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ReadRowsAsync(reader, state, rows.Writer, stop.Token), CancellationToken.None);
        try
        {
            var nextProgress = clock.GetTimestamp();
            await using var copy = await connection.BeginBinaryImportAsync("""
                COPY lead_import_staging (id, row_no, name, phone, email, company, role, time_zone, source, consent_given_at, consent_method)
                FROM STDIN (FORMAT BINARY)
                """, cancellationToken);
            await foreach (var (row, lead) in rows.Reader.ReadAllAsync(cancellationToken))
            {
                state.Staged++;
                await WriteStagingRowAsync(copy, row, lead, cancellationToken);
                if (clock.GetTimestamp() >= nextProgress)
                {
                    nextProgress = clock.GetTimestamp() + (long)(ProgressInterval.TotalSeconds * clock.TimestampFrequency);
                    await jobs.ReportProgressAsync(job.Id, state.Counts(reader.BytesRead), cancellationToken);
                }
            }

            await producer;
            await copy.CompleteAsync(cancellationToken);
        }
        finally
        {
            // If the writer failed, stop the reader and wait for it, so nothing touches the upload after we return.
            await stop.CancelAsync();
            await Task.WhenAny(producer);
        }
    }

    private async Task ReadRowsAsync(LeadRecordReader reader, ImportState state, ChannelWriter<(int Row, NewLead Lead)> rows, CancellationToken cancellationToken)
    {
        try
        {
            var firstRowByPhone = new Dictionary<string, int>(StringComparer.Ordinal);
            var record = new LeadRecord();
            while (await reader.ReadAsync(record, cancellationToken))
            {
                state.Read++;
                var lead = record.Errors.Count == 0 ? parser.Parse(record, reader) : null;
                if (lead is null)
                {
                    state.Rejected++;
                    state.AddErrors(record.Errors);
                }
                else if (!firstRowByPhone.TryAdd(lead.Phone, record.Row))
                {
                    state.Duplicates++;
                    state.AddErrors([new ImportRowError(record.Row, ImportRowErrorKinds.Duplicate, reader.ColumnName(LeadColumn.Phone), $"same phone number as row {firstRowByPhone[lead.Phone]}; the first row wins")]);
                }
                else
                {
                    await rows.WriteAsync((record.Row, lead), cancellationToken);
                }
            }
        }
        finally
        {
            // Completing without the error ends the writer's loop; it then awaits this task, which rethrows the
            // original exception (ImportFormatException, ImportTooLargeException...) for RunAsync to report.
            rows.TryComplete();
        }
    }

    private async Task WriteStagingRowAsync(NpgsqlBinaryImporter copy, int row, NewLead lead, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(Guid.CreateVersion7(clock.GetUtcNow()), NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(row, NpgsqlDbType.Integer, cancellationToken);
        await WriteTextAsync(copy, lead.Name, cancellationToken);
        await copy.WriteAsync(lead.Phone, NpgsqlDbType.Text, cancellationToken);
        await WriteTextAsync(copy, lead.Email, cancellationToken);
        await WriteTextAsync(copy, lead.Company, cancellationToken);
        await WriteTextAsync(copy, lead.Role, cancellationToken);
        await WriteTextAsync(copy, lead.TimeZone, cancellationToken);
        await WriteTextAsync(copy, lead.Source, cancellationToken);
        if (lead.ConsentGivenAt is { } consent)
        {
            await copy.WriteAsync(consent.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }

        await WriteTextAsync(copy, lead.ConsentMethod, cancellationToken);
    }

    private static ValueTask WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? new ValueTask(copy.WriteNullAsync(cancellationToken)) : new ValueTask(copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken));

    private async Task MergeAsync(ImportJob job, NpgsqlConnection connection, NpgsqlTransaction transaction, ImportState state, CancellationToken cancellationToken)
    {
        await using (var merge = new NpgsqlCommand("""
            WITH inserted AS (
                INSERT INTO leads (id, campaign_id, name, phone, email, company, role, time_zone, source, consent_given_at,
                                   consent_method, status, import_id, created_at, updated_at)
                SELECT s.id, @campaign_id, s.name, s.phone, s.email, s.company, s.role, s.time_zone, s.source,
                       s.consent_given_at, s.consent_method,
                       CASE WHEN d.phone IS NULL THEN 'new' ELSE 'do_not_call' END, @import_id, @now, @now
                FROM lead_import_staging s LEFT JOIN do_not_call d ON d.phone = s.phone
                ON CONFLICT (campaign_id, phone) DO NOTHING
                RETURNING status)
            SELECT count(*)::int, (count(*) FILTER (WHERE status = 'do_not_call'))::int FROM inserted
            """, connection, transaction))
        {
            merge.Parameters.AddWithValue("campaign_id", job.CampaignId);
            merge.Parameters.AddWithValue("import_id", job.Id);
            merge.Parameters.AddWithValue("now", clock.GetUtcNow());
            await using var reader = await merge.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            state.Imported = reader.GetInt32(0);
            state.DoNotCall = reader.GetInt32(1);
        }

        if (state.Imported == state.Staged)
        {
            return;
        }

        // Some staged rows hit numbers the campaign already had (or that a concurrent import just added).
        await using var duplicates = new NpgsqlCommand("""
            SELECT s.row_no FROM lead_import_staging s WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = s.id) ORDER BY s.row_no
            """, connection, transaction);
        await using var rows = await duplicates.ExecuteReaderAsync(cancellationToken);
        var duplicateErrors = new List<ImportRowError>();
        while (await rows.ReadAsync(cancellationToken))
        {
            duplicateErrors.Add(new ImportRowError(rows.GetInt32(0), ImportRowErrorKinds.Duplicate, "phone", "the campaign already has a lead with this phone number; the existing lead is kept unchanged"));
        }

        state.Duplicates += duplicateErrors.Count;
        state.AddErrors(duplicateErrors);
    }

    private async Task<ImportJob> FinishAsync(ImportJob job, string status, LeadRecordReader reader, ImportState state, string? error, NpgsqlTransaction? transaction)
    {
        // CancellationToken.None: the outcome must be recorded even when the request that carried the upload is gone.
        await jobs.FinishAsync(job.Id, status, state.Counts(reader.BytesRead), reader.IgnoredColumns, error, state.Errors, CancellationToken.None, transaction);
        return (await jobs.GetAsync(job.Id, CancellationToken.None))!;
    }

    private void Record(Activity? activity, ImportState state)
    {
        activity?.SetTag("leadgen.import.rows_read", state.Read);
        activity?.SetTag("leadgen.import.rows_imported", state.Imported);
        telemetry.Rows.Add(state.Imported, new KeyValuePair<string, object?>("outcome", "imported"));
        telemetry.Rows.Add(state.Rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
        telemetry.Rows.Add(state.Duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
    }

    private sealed record ImportState(int MaxStoredErrors)
    {
        public int Read { get; set; }

        public int Staged { get; set; }

        public int Imported { get; set; }

        public int Rejected { get; set; }

        public int Duplicates { get; set; }

        public int DoNotCall { get; set; }

        public List<ImportRowError> Errors { get; init; } = [];

        public void AddErrors(IEnumerable<ImportRowError> errors)
        {
            foreach (var error in errors)
            {
                if (Errors.Count >= MaxStoredErrors)
                {
                    return;
                }

                Errors.Add(error);
            }
        }

        public ImportCounts Counts(long bytesRead) => new()
        {
            BytesRead = bytesRead,
            RowsRead = Read,
            RowsImported = Imported,
            RowsRejected = Rejected,
            RowsDuplicate = Duplicates,
            RowsDoNotCall = DoNotCall,
        };
    }
}
