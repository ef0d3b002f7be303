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
/// Nothing is kept until the server has reported an index (a server without transparent resumption), and at most
/// <c>capacity</c> messages (oldest dropped). Buffers come from the shared pool: this sits on the 50-a-second audio path.
/// </summary>
internal sealed class CallerAudioReplay(int capacity) : IDisposable
{
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
            if (!_serverReportsIndexes)
            {
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(message.Length);
            message.CopyTo(buffer);
            _unconsumed.Enqueue((index, buffer, message.Length));
            while (_unconsumed.Count > capacity)
            {
                ArrayPool<byte>.Shared.Return(_unconsumed.Dequeue().Buffer);
                Dropped++;
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
                messages.Add(entry.Buffer.AsSpan(0, entry.Length).ToArray());
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
