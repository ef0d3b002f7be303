using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Calls.Tests.Live;

/// <summary>A text engine driven by the test: its reply events are pushed in, everything the call tells it is recorded.</summary>
public sealed class FakeTextEngine : ICallEngine
{
    private readonly Channel<RealtimeEvent> _events = Channel.CreateUnbounded<RealtimeEvent>();

    public EngineAudioFormat? Audio => null;

    public ConcurrentQueue<(string Line, bool AlreadySpoken)> Started { get; } = new();

    public ConcurrentQueue<string> CallerTexts { get; } = new();

    public ConcurrentQueue<CallNote> Notes { get; } = new();

    public ConcurrentQueue<string> Interrupted { get; } = new();

    public ConcurrentQueue<IReadOnlyList<RealtimeToolResult>> ToolResults { get; } = new();

    public void Push(params RealtimeEvent[] items)
    {
        foreach (var item in items)
        {
            _events.Writer.TryWrite(item);
        }
    }

    /// <summary>One whole reply: its words (in pieces), then the end of the turn.</summary>
    public void Reply(params string[] pieces) => Push([.. pieces.Select(piece => (RealtimeEvent)new AgentTranscript(piece)), new AgentTurnComplete()]);

    public ValueTask StartAsync(string openingLine, bool alreadySpoken, CancellationToken cancellationToken)
    {
        Started.Enqueue((openingLine, alreadySpoken));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendCallerAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask SendCallerTextAsync(string text, CancellationToken cancellationToken)
    {
        CallerTexts.Enqueue(text);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendNoteAsync(CallNote note, CancellationToken cancellationToken)
    {
        Notes.Enqueue(note);
        return ValueTask.CompletedTask;
    }

    public ValueTask AgentInterruptedAsync(string heard, CancellationToken cancellationToken)
    {
        Interrupted.Enqueue(heard);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken)
    {
        ToolResults.Enqueue(results);
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<RealtimeEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A text transport (like ConversationRelay) that records what the coordinator asked of it.</summary>
public sealed class FakeTextTransport(string greeting, TimeSpan? silenceTimeout = null) : ICallTransport
{
    public ConcurrentQueue<string> Log { get; } = new();

    public ConcurrentQueue<CallIntent> Intents { get; } = new();

    public bool CanTransfer => true;

    public bool CarriesText => true;

    public string? SpokenGreeting => greeting;

    public TimeSpan? SilenceTimeout => silenceTimeout;

    public void UseEngineAudio(EngineAudioFormat format) => throw new NotSupportedException();

    public Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask SendAgentTextAsync(int turn, string text, CancellationToken cancellationToken)
    {
        Log.Enqueue($"text {turn} {text}");
        return ValueTask.CompletedTask;
    }

    public ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken)
    {
        Log.Enqueue($"end {turn}");
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken)
    {
        Intents.Enqueue(intent);
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(CallCloseReason reason)
    {
        Log.Enqueue($"close {reason}");
        return ValueTask.CompletedTask;
    }
}
