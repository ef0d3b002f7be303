namespace LeadGen.Core.Leads.Import;

/// <summary>CSV with a header row; header names map to lead fields through <see cref="LeadColumns"/>.</summary>
public sealed class CsvLeadReader : LeadRecordReader
{
    private readonly CsvTokenizer _tokenizer;
    private readonly string[] _columnNames = new string[LeadColumns.Count];
    private LeadColumn?[] _mapping = [];

    public CsvLeadReader(Stream stream, int maxRecordBytes = 64 * 1024)
    {
        _tokenizer = new CsvTokenizer(stream, maxRecordBytes);
        for (var i = 0; i < LeadColumns.Count; i++)
        {
            _columnNames[i] = LeadColumns.CanonicalName((LeadColumn)i);
        }
    }

    public override long BytesRead => _tokenizer.BytesRead;

    public override string ColumnName(LeadColumn column) => _columnNames[(int)column];

    public override async ValueTask<bool> ReadAsync(LeadRecord record, CancellationToken cancellationToken)
    {
        if (_mapping.Length == 0)
        {
            await ReadHeaderAsync(cancellationToken);
        }

        if (!await _tokenizer.ReadAsync(cancellationToken))
        {
            return false;
        }

        record.Reset(_tokenizer.RecordLine);
        if (_tokenizer.Problem is not null)
        {
            record.Reject(null, _tokenizer.Problem);
            return true;
        }

        if (_tokenizer.FieldCount != _mapping.Length)
        {
            record.Reject(null, $"the row has {_tokenizer.FieldCount} fields but the header has {_mapping.Length}");
            return true;
        }

        for (var i = 0; i < _mapping.Length; i++)
        {
            if (_mapping[i] is not { } column)
            {
                continue;
            }

            if (TryDecode(_tokenizer.Field(i), out var value))
            {
                record[column] = value;
            }
            else
            {
                record.Reject(_columnNames[(int)column], "the value is not valid UTF-8 (save the file as UTF-8)");
            }
        }

        return true;
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (!await _tokenizer.ReadAsync(cancellationToken))
        {
            throw new ImportFormatException("The file is empty: a CSV import needs a header row naming the columns (at least a phone column).");
        }

        var mapping = new LeadColumn?[_tokenizer.FieldCount];
        var seen = new Dictionary<LeadColumn, string>();
        for (var i = 0; i < mapping.Length; i++)
        {
            if (!TryDecode(_tokenizer.Field(i), out var header))
            {
                throw new ImportFormatException($"Header column {i + 1} is not valid UTF-8; save the file as UTF-8.");
            }

            if (header is null || !LeadColumns.TryMap(header, out var column))
            {
                Ignore(header ?? $"(column {i + 1})");
                continue;
            }

            if (seen.TryGetValue(column, out var earlier))
            {
                throw new ImportFormatException($"Columns '{earlier}' and '{header}' both mean {LeadColumns.CanonicalName(column)}; keep one.");
            }

            seen[column] = header;
            _columnNames[(int)column] = header;
            mapping[i] = column;
        }

        if (!seen.ContainsKey(LeadColumn.Phone))
        {
            throw new ImportFormatException("The header has no phone column (accepted names include phone, phone_number, mobile, telephone).");
        }

        _mapping = mapping;
    }
}
