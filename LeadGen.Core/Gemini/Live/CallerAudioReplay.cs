using System.Buffers;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// Keeps caller audio from being lost when the Live connection is replaced. Two jobs:
/// <list type="bullet">
/// <item>Transparent resumption (Vertex): every client message sent on the current connection is kept until the server
/// reports it consumed (<c>sessionResumptionUpdate.lastConsumedClientMessageIndex</c>); a reconnect sends the rest again.
/// Indexes count the connection's messages with <c>setup</c> as 0 — the documentation does not say whether setup counts,
/// and this reading errs towards replaying one 20 ms message twice rather than dropping one.</item>
/// <item>While a reconnect is under way, caller audio is held here instead of blocking the transport's read loop.</item>
/// </list>
/// Until the server has reported an index, only the last <see cref="BeforeFirstReport"/> messages are kept: a server
/// without transparent resumption never reports, and the first report can arrive after messages it does not cover were
/// sent (they were lost on a drop right after it, before this window existed). After that, at most <c>capacity</c>
/// unconsumed messages (oldest dropped). Buffers come from the shared pool: this sits on the 50-a-second audio path.
/// </summary>
internal sealed class CallerAudioReplay(int capacity) : IDisposable
{
    /// <summary>One second of 20 ms messages.</summary>
    public const int BeforeFirstReport = 50;

    private readonly Lock _gate = new();
    private readonly Queue<(long Index, byte[] Buffer, int Length)> _unconsumed = new();
    private readonly List<byte[]> _held = [];
    private long _nextIndex = 1; // 0 is the connection's setup message
    private bool _serverReportsIndexes;
    private bool _holding;

    public int Dropped { get; private set; }

    /// <summary>Records a message about to go out on the current connection.</summary>
    public void Sent(ReadOnlySpan<byte> message)
    {
        lock (_gate)
        {
            var index = _nextIndex++;
            var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
            message.CopyTo(buffer);
            _unconsumed.Enqueue((index, buffer, message.Length));
            var keep = _serverReportsIndexes ? capacity : Math.Min(capacity, BeforeFirstReport);
            while (_unconsumed.Count > keep)
            {
                ArrayPool<byte>.Shared.Return(_unconsumed.Dequeue().Buffer);
                if (_serverReportsIndexes)
                {
                    Dropped++; // unconsumed by the server's own account: a reconnect now would lose it
                }
            }
        }
    }

    /// <summary>The server has everything up to <paramref name="lastConsumedIndex"/> of this connection's messages.</summary>
    public void Consumed(long lastConsumedIndex)
    {
        lock (_gate)
        {
            _serverReportsIndexes = true;
            while (_unconsumed.TryPeek(out var oldest) && oldest.Index <= lastConsumedIndex)
            {
                ArrayPool<byte>.Shared.Return(_unconsumed.Dequeue().Buffer);
            }
        }
    }

    public void StartHolding()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Holds the caller's audio (as a Live message) while reconnecting; false when not reconnecting.</summary>
    public bool TryHold(ReadOnlySpan<byte> pcm)
    {
        lock (_gate)
        {
            if (!_holding)
            {
                return false;
            }

            if (_held.Count < capacity)
            {
                _held.Add(GeminiLiveWire.Audio(pcm));
            }
            else
            {
                Dropped++;
            }

            return true;
        }
    }

    public void StopHolding()
    {
        lock (_gate)
        {
            _holding = false;
            _held.Clear();
        }
    }

    /// <summary>
    /// For a new connection: the old connection's unconsumed messages, then the held audio, in order. Index counting
    /// restarts (the new connection's setup is 0); the caller sends these through the normal path, which records them again.
    /// </summary>
    public IReadOnlyList<byte[]> TakeForNewConnection()
    {
        lock (_gate)
        {
            var messages = new List<byte[]>(_unconsumed.Count + _held.Count);
            while (_unconsumed.TryDequeue(out var entry))
            {
                if (_serverReportsIndexes)
                {
                    messages.Add(entry.Buffer.AsSpan(0, entry.Length).ToArray());
                }

                // else: a server that never said what it consumed (no transparent resumption) gets nothing twice
                ArrayPool<byte>.Shared.Return(entry.Buffer);
            }

            messages.AddRange(_held);
            _held.Clear();
            _nextIndex = 1;
            return messages;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            while (_unconsumed.TryDequeue(out var entry))
            {
                ArrayPool<byte>.Shared.Return(entry.Buffer);
            }
        }
    }
}
