namespace LeadGen.Core.Leads.Import;

/// <summary>One row of an upload as text values by lead field, plus the problems found while reading it. Reused per row.</summary>
public sealed class LeadRecord
{
    private readonly string?[] _values = new string?[LeadColumns.Count];

    public int Row { get; set; }

    public List<ImportRowError> Errors { get; } = [];

    public string? this[LeadColumn column]
    {
        get => _values[(int)column];
        set => _values[(int)column] = value;
    }

    public void Reset(int row)
    {
        Row = row;
        Array.Clear(_values);
        Errors.Clear();
    }

    public void Reject(string? column, string reason) => Errors.Add(new ImportRowError(Row, ImportRowErrorKinds.Rejected, column, reason));
}

/// <summary>Reads an upload row by row (CSV or JSON lines), streaming.</summary>
public abstract class LeadRecordReader
{
    private readonly SortedSet<string> _ignored = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bytes consumed from the upload so far.</summary>
    public abstract long BytesRead { get; }

    /// <summary>Columns (or JSON keys) in the upload that map to no lead field; they are ignored.</summary>
    public IReadOnlyCollection<string> IgnoredColumns => _ignored;

    /// <summary>How the upload names <paramref name="column"/> (for error messages).</summary>
    public abstract string ColumnName(LeadColumn column);

    /// <summary>Fills <paramref name="record"/> with the next row; false at the end.</summary>
    public abstract ValueTask<bool> ReadAsync(LeadRecord record, CancellationToken cancellationToken);

    protected void Ignore(string column) => _ignored.Add(column);

    /// <summary>Decodes one field strictly: null when empty after trimming, an error on invalid UTF-8.</summary>
    protected static bool TryDecode(ReadOnlySpan<byte> bytes, out string? value)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            value = null;
            return false;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes).Trim();
        value = text.Length == 0 ? null : text;
        return true;
    }
}
