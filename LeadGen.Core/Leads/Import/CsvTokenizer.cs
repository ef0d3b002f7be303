namespace LeadGen.Core.Leads.Import;

/// <summary>
/// Splits an RFC 4180 CSV byte stream into records and fields without decoding it: quotes, commas and line breaks are
/// ASCII, so working on bytes is exact for UTF-8 and lets the caller decode (and reject) each field on its own, so
/// one invalid byte costs one row, not the file. Reads in 64 KiB chunks: memory stays flat whatever the file size.
/// Accepts CRLF and LF, quoted fields with embedded separators, line breaks and doubled quotes, and a UTF-8 BOM.
/// </summary>
internal sealed class CsvTokenizer(Stream stream, int maxRecordBytes)
{
    private const byte Quote = (byte)'"';
    private const byte Comma = (byte)',';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly List<int> _fieldEnds = [];
    private byte[] _record = new byte[1024];
    private int _recordLength;
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _skipLineFeed;
    private bool _started;

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>Bytes taken from the stream so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>1-based line on which the current record starts.</summary>
    public int RecordLine { get; private set; }

    public int FieldCount => _fieldEnds.Count;

    /// <summary>Why the current record is malformed (e.g. an unterminated quote), or null.</summary>
    public string? Problem { get; private set; }

    public ReadOnlySpan<byte> Field(int index)
    {
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _record.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Advances to the next non-blank record; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            _recordLength = 0;
            _fieldEnds.Clear();
            Problem = null;
            RecordLine = _line;
            var state = State.FieldStart;
            while (true)
            {
                if (_position == _length && !await FillAsync(cancellationToken))
                {
                    if (state == State.FieldStart && _fieldEnds.Count == 0)
                    {
                        return false;
                    }

                    if (state == State.Quoted)
                    {
                        // A runaway quote swallowed every later line into one field: the file cannot be read past it,
                        // so the whole upload is refused (400) rather than half-imported with one odd row error.
                        throw new ImportFormatException($"The record starting on line {RecordLine} opens a quote that is never closed (a runaway quote): every later line would be read as part of one field; fix the quoting. Nothing was imported.");
                    }

                    _fieldEnds.Add(_recordLength);
                    return true;
                }

                var b = _buffer[_position++];
                if (_skipLineFeed)
                {
                    _skipLineFeed = false;
                    if (b == Lf)
                    {
                        continue;
                    }
                }

                switch (state)
                {
                    case State.Quoted:
                        if (b == Quote)
                        {
                            state = State.QuoteInQuoted;
                        }
                        else
                        {
                            if (b == Lf)
                            {
                                _line++;
                            }

                            Append(b);
                        }

                        continue;
                    case State.QuoteInQuoted when b == Quote:
                        Append(Quote);
                        state = State.Quoted;
                        continue;
                    case State.FieldStart when b == Quote:
                        state = State.Quoted;
                        continue;
                }

                if (b == Comma)
                {
                    _fieldEnds.Add(_recordLength);
                    state = State.FieldStart;
                }
                else if (b is Lf or Cr)
                {
                    _line++;
                    _skipLineFeed = b == Cr;
                    if (state == State.FieldStart && _fieldEnds.Count == 0)
                    {
                        break; // blank line: skip it
                    }

                    _fieldEnds.Add(_recordLength);
                    return true;
                }
                else
                {
                    if (state == State.QuoteInQuoted)
                    {
                        Problem ??= "text follows a closing quote inside a field";
                    }

                    Append(b);
                    state = State.Unquoted;
                }
            }
        }
    }

    private void Append(byte b)
    {
        if (_recordLength == _record.Length)
        {
            if (_record.Length >= maxRecordBytes)
            {
                throw new ImportFormatException($"The record starting on line {RecordLine} is longer than {maxRecordBytes / 1024} KiB (an unclosed quote?); nothing was imported.");
            }

            Array.Resize(ref _record, Math.Min(_record.Length * 2, maxRecordBytes));
        }

        _record[_recordLength++] = b;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _length = await stream.ReadAsync(_buffer, cancellationToken);
        _position = 0;
        BytesRead += _length;
        if (!_started && _length > 0)
        {
            _started = true;
            // A UTF-8 byte order mark (spreadsheet exports) is not data. A BOM split across reads is practically
            // impossible (the first read returns at least 3 bytes of any real file) and would only cost the header.
            if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _position = 3;
            }
        }

        return _length > 0;
    }
}
