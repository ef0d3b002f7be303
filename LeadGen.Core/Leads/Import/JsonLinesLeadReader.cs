using System.Text.Json;

namespace LeadGen.Core.Leads.Import;

/// <summary>
/// JSON lines: one object per line, keys named like CSV headers (snake_case, camelCase or spaced). Values may be
/// strings, numbers or booleans; blank lines are skipped.
/// </summary>
public sealed class JsonLinesLeadReader(Stream stream, int maxLineBytes = 64 * 1024) : LeadRecordReader
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private byte[] _line = new byte[1024];
    private int _lineLength;
    private int _position;
    private int _length;
    private int _lineNumber;
    private long _bytesRead;
    private bool _started;

    public override long BytesRead => _bytesRead;

    public override string ColumnName(LeadColumn column) => LeadColumns.CanonicalName(column);

    public override async ValueTask<bool> ReadAsync(LeadRecord record, CancellationToken cancellationToken)
    {
        while (await ReadLineAsync(cancellationToken))
        {
            var line = _line.AsSpan(0, _lineLength).Trim(" \t\r"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            record.Reset(_lineNumber);
            if (!System.Text.Unicode.Utf8.IsValid(line))
            {
                record.Reject(null, "the line is not valid UTF-8 (save the file as UTF-8)");
                return true;
            }

            try
            {
                Fill(record, line);
            }
            catch (JsonException ex)
            {
                record.Reject(null, $"not valid JSON ({ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.')})");
            }

            return true;
        }

        return false;
    }

    private void Fill(LeadRecord record, ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            record.Reject(null, "each line must be one JSON object");
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            string? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => null,
                _ => SkipNested(ref reader),
            };
            if (!LeadColumns.TryMap(key, out var column))
            {
                Ignore(key);
                continue;
            }

            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                record.Reject(key, "must be a text value, not an object or array");
                continue;
            }

            value = value?.Trim();
            record[column] = string.IsNullOrEmpty(value) ? null : value;
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("unexpected content after the object");
        }
    }

    private static string? SkipNested(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        _lineLength = 0;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await stream.ReadAsync(_buffer, cancellationToken);
                _position = 0;
                _bytesRead += _length;
                if (_length == 0)
                {
                    if (any)
                    {
                        _lineNumber++;
                    }

                    return any;
                }

                if (!_started)
                {
                    _started = true;
                    if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
                    {
                        _position = 3;
                    }
                }
            }

            var chunk = _buffer.AsSpan(_position, _length - _position);
            var newline = chunk.IndexOf((byte)'\n');
            var take = newline < 0 ? chunk : chunk[..newline];
            if (_lineLength + take.Length > maxLineBytes)
            {
                throw new ImportFormatException($"Line {_lineNumber + 1} is longer than {maxLineBytes / 1024} KiB; nothing was imported.");
            }

            if (_lineLength + take.Length > _line.Length)
            {
                Array.Resize(ref _line, Math.Max(_line.Length * 2, _lineLength + take.Length));
            }

            take.CopyTo(_line.AsSpan(_lineLength));
            _lineLength += take.Length;
            any = true;
            _position += take.Length;
            if (newline >= 0)
            {
                _position++;
                _lineNumber++;
                return true;
            }
        }
    }
}
