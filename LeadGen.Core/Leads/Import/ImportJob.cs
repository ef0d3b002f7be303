namespace LeadGen.Core.Leads.Import;

/// <summary>A bulk import and its progress. Row counts: read = imported + rejected + duplicate (once finished).</summary>
public sealed record ImportJob
{
    public required Guid Id { get; init; }

    public required Guid CampaignId { get; init; }

    /// <summary>csv | jsonl.</summary>
    public required string Format { get; init; }

    public required bool Atomic { get; init; }

    /// <summary><see cref="ImportJobStatuses"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Upload size when known (Content-Length or spooled file), for the percentage.</summary>
    public long? TotalBytes { get; init; }

    public long BytesRead { get; init; }

    public int RowsRead { get; init; }

    /// <summary>Rows that became leads (set when the import commits; 0 while running and after a rollback).</summary>
    public int RowsImported { get; init; }

    public int RowsRejected { get; init; }

    public int RowsDuplicate { get; init; }

    /// <summary>Imported rows whose number is on the do-not-call list: stored with status do_not_call, never queued.</summary>
    public int RowsDoNotCall { get; init; }

    public IReadOnlyList<string> IgnoredColumns { get; init; } = [];

    public string? Error { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>0-100: bytes read of the known size while running (at most 99), 100 once finished; null when the size is unknown.</summary>
    public double? Percent => Status != ImportJobStatuses.Running
        ? 100
        : TotalBytes is > 0 ? Math.Min(99, Math.Round(100.0 * BytesRead / TotalBytes.Value, 1)) : null;
}

public static class ImportJobStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";

    /// <summary>atomic=true and some rows were rejected: nothing was imported.</summary>
    public const string RolledBack = "rolled_back";

    /// <summary>The upload could not be read as a whole, or was interrupted: nothing was imported.</summary>
    public const string Failed = "failed";
}

public static class ImportFormats
{
    public const string Csv = "csv";
    public const string JsonLines = "jsonl";
}
