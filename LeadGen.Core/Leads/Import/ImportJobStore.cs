using LeadGen.Core.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace LeadGen.Core.Leads.Import;

/// <summary>Import job rows: created when an upload starts, heartbeated with progress, finished with counts and row errors.</summary>
public sealed class ImportJobStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>A running import that has not reported progress for this long is taken as interrupted.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(2);

    private const string Columns = """
        id, campaign_id, format, atomic, status, total_bytes, bytes_read, rows_read, rows_imported, rows_rejected,
        rows_duplicate, rows_do_not_call, ignored_columns, error, created_at, completed_at
        """;

    public async Task<ImportJob> CreateAsync(Guid campaignId, string format, bool atomic, long? totalBytes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            INSERT INTO import_jobs (id, campaign_id, format, atomic, total_bytes, created_at, updated_at)
            VALUES (@id, @campaign_id, @format, @atomic, @total_bytes, @now, @now)
            RETURNING {Columns}
            """, null, cancellationToken);
        scope.With("id", Guid.CreateVersion7(now));
        scope.With("campaign_id", campaignId);
        scope.With("format", format);
        scope.With("atomic", atomic);
        scope.With("total_bytes", totalBytes);
        scope.With("now", now);
        return (await ReadAsync(scope.Command, cancellationToken)).Single();
    }

    public async Task<ImportJob?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await FailStaleAsync(cancellationToken);
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"SELECT {Columns} FROM import_jobs WHERE id = @id", null, cancellationToken);
        scope.With("id", id);
        return (await ReadAsync(scope.Command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<ImportJob>> ListForCampaignAsync(Guid campaignId, int limit, CancellationToken cancellationToken)
    {
        await FailStaleAsync(cancellationToken);
        await using var scope = await DbCommandScope.OpenAsync(dataSource, $"""
            SELECT {Columns} FROM import_jobs WHERE campaign_id = @campaign_id ORDER BY created_at DESC, id DESC LIMIT @limit
            """, null, cancellationToken);
        scope.With("campaign_id", campaignId);
        scope.With("limit", limit);
        return await ReadAsync(scope.Command, cancellationToken);
    }

    public async Task ReportProgressAsync(Guid id, ImportCounts counts, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE import_jobs SET bytes_read = @bytes_read, rows_read = @rows_read, rows_rejected = @rows_rejected,
                rows_duplicate = @rows_duplicate, updated_at = @now
            WHERE id = @id AND status = 'running'
            """, null, cancellationToken);
        scope.With("id", id);
        AddCounts(scope, counts);
        scope.With("now", clock.GetUtcNow());
        await scope.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes the final status, counts and row errors (in the caller's transaction when given, so they commit with the leads).</summary>
    public async Task FinishAsync(Guid id, string status, ImportCounts counts, IReadOnlyCollection<string> ignoredColumns, string? error,
        IReadOnlyList<ImportRowError> rowErrors, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using (var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE import_jobs SET status = @status, bytes_read = @bytes_read, rows_read = @rows_read,
                rows_imported = @rows_imported, rows_rejected = @rows_rejected, rows_duplicate = @rows_duplicate,
                rows_do_not_call = @rows_do_not_call, ignored_columns = @ignored_columns, error = @error,
                completed_at = @now, updated_at = @now
            WHERE id = @id
            """, transaction, cancellationToken))
        {
            scope.With("id", id);
            scope.With("status", status);
            AddCounts(scope, counts);
            scope.With("rows_imported", counts.RowsImported);
            scope.With("rows_do_not_call", counts.RowsDoNotCall);
            scope.With("ignored_columns", ignoredColumns.ToArray());
            scope.With("error", error);
            scope.With("now", clock.GetUtcNow());
            await scope.Command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (rowErrors.Count == 0)
        {
            return;
        }

        var connection = transaction?.Connection;
        var owned = connection is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        try
        {
            await using var copy = await (connection ?? owned!).BeginBinaryImportAsync(
                "COPY import_row_errors (import_id, row_number, kind, column_name, reason) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var rowError in rowErrors)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(rowError.Row, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(rowError.Kind, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, rowError.Column, cancellationToken);
                await copy.WriteAsync(rowError.Reason, NpgsqlDbType.Text, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    /// <summary>Row errors in row order, after <paramref name="afterRow"/> (keyset paging).</summary>
    public async Task<IReadOnlyList<ImportRowError>> GetErrorsAsync(Guid id, int afterRow, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT row_number, kind, column_name, reason FROM import_row_errors
            WHERE import_id = @id AND row_number > @after ORDER BY row_number, kind, column_name NULLS FIRST LIMIT @limit
            """, null, cancellationToken);
        scope.With("id", id);
        scope.With("after", afterRow);
        scope.With("limit", limit);
        return await scope.Command.ReadListAsync(reader => new ImportRowError(reader.Get<int>("row_number"), reader.Get<string>("kind"), reader.GetStringOrNull("column_name"), reader.Get<string>("reason")), cancellationToken);
    }

    private async Task FailStaleAsync(CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE import_jobs SET status = 'failed', error = 'The import was interrupted (the server stopped); nothing was imported. Upload the file again.',
                rows_imported = 0, rows_do_not_call = 0, completed_at = @now, updated_at = @now
            WHERE status = 'running' AND updated_at < @stale_before
            """, null, cancellationToken);
        var now = clock.GetUtcNow();
        scope.With("now", now);
        scope.With("stale_before", now - HeartbeatTimeout);
        await scope.Command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddCounts(DbCommandScope scope, ImportCounts counts)
    {
        scope.With("bytes_read", counts.BytesRead);
        scope.With("rows_read", counts.RowsRead);
        scope.With("rows_rejected", counts.RowsRejected);
        scope.With("rows_duplicate", counts.RowsDuplicate);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(cancellationToken);
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<ImportJob>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        return await command.ReadListAsync(reader => new ImportJob
        {
            Id = reader.Get<Guid>("id"),
            CampaignId = reader.Get<Guid>("campaign_id"),
            Format = reader.Get<string>("format"),
            Atomic = reader.Get<bool>("atomic"),
            Status = reader.Get<string>("status"),
            TotalBytes = reader.GetOrNull<long>("total_bytes"),
            BytesRead = reader.Get<long>("bytes_read"),
            RowsRead = reader.Get<int>("rows_read"),
            RowsImported = reader.Get<int>("rows_imported"),
            RowsRejected = reader.Get<int>("rows_rejected"),
            RowsDuplicate = reader.Get<int>("rows_duplicate"),
            RowsDoNotCall = reader.Get<int>("rows_do_not_call"),
            IgnoredColumns = reader.Get<string[]>("ignored_columns"),
            Error = reader.GetStringOrNull("error"),
            CreatedAt = reader.Get<DateTimeOffset>("created_at"),
            CompletedAt = reader.GetOrNull<DateTimeOffset>("completed_at"),
        }, cancellationToken);
    }
}

/// <summary>Running totals of an import.</summary>
public sealed record ImportCounts
{
    public long BytesRead { get; init; }

    public int RowsRead { get; init; }

    public int RowsImported { get; init; }

    public int RowsRejected { get; init; }

    public int RowsDuplicate { get; init; }

    public int RowsDoNotCall { get; init; }
}
