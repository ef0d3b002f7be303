using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Stores a call's transcript turns in order, off the audio path: the call hands a turn over and goes on; one writer
/// drains them to the <see cref="ICallEventSink"/>. A failed write is logged and never takes the call down. Unbounded
/// on purpose: a call produces a few turns a minute, and dropping one would lose transcript.
/// </summary>
public sealed class TurnWriter : IAsyncDisposable
{
    private readonly Channel<CallTurn> _turns = Channel.CreateUnbounded<CallTurn>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ICallEventSink _sink;
    private readonly ILogger _logger;
    private readonly Task _writer;

    public TurnWriter(ICallEventSink sink, ILogger logger)
    {
        _sink = sink;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public void Enqueue(CallTurn turn) => _turns.Writer.TryWrite(turn);

    /// <summary>Waits for every queued turn to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        _turns.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAsync()
    {
        await foreach (var turn in _turns.Reader.ReadAllAsync())
        {
            try
            {
                await _sink.AppendTurnAsync(turn, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // Never take the call down for a transcript write; the log keeps what was lost.
                _logger.LogError(exception, "Call {CallId}: could not store transcript turn {Sequence}", turn.CallId, turn.Seq);
            }
        }
    }
}
