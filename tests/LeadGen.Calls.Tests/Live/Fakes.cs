using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Calls.Tests.Live;

/// <summary>An engine session driven by the test: events are pushed in, everything sent to it is recorded.</summary>
public sealed class FakeEngine : IRealtimeVoiceSession
{
    private readonly Channel<RealtimeEvent> _events = Channel.CreateUnbounded<RealtimeEvent>();

    public EngineAudioFormat Audio { get; } = new(16000, 24000);

    private int _audioMessages;
    private long _audioBytes;

    public int AudioMessages => Volatile.Read(ref _audioMessages);

    public long AudioBytes => Interlocked.Read(ref _audioBytes);

    public ConcurrentQueue<string> Texts { get; } = new();

    public ConcurrentQueue<IReadOnlyList<RealtimeToolResult>> ToolResults { get; } = new();

    public bool Disposed { get; private set; }

    public void Push(RealtimeEvent item) => _events.Writer.TryWrite(item);

    public void End() => _events.Writer.TryComplete();

    /// <summary>PCM16 24 kHz agent audio of the given length.</summary>
    public static AgentAudio Speech(int milliseconds) => new(new byte[24 * 2 * milliseconds]);

    public ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _audioMessages);
        Interlocked.Add(ref _audioBytes, pcm.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendTextAsync(string text, CancellationToken cancellationToken)
    {
        Texts.Enqueue(text);
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
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>A transport that records what the coordinator asked of it (the test plays the person's side).</summary>
public sealed class FakeTransport(bool canTransfer = true) : ICallTransport
{
    public ConcurrentQueue<string> Log { get; } = new();

    public ConcurrentQueue<CallIntent> Intents { get; } = new();

    /// <summary>Agent audio received per turn (ms at 24 kHz).</summary>
    public ConcurrentDictionary<int, int> SentMs { get; } = new();

    public bool CanTransfer => canTransfer;

    public void UseEngineAudio(EngineAudioFormat format) => Log.Enqueue("format");

    public Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    public ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        SentMs.AddOrUpdate(turn, pcm.Length / 48, (_, ms) => ms + pcm.Length / 48);
        Log.Enqueue($"audio {turn}");
        return ValueTask.CompletedTask;
    }

    public ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken)
    {
        Log.Enqueue($"end {turn}");
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken)
    {
        Log.Enqueue("clear");
        return ValueTask.CompletedTask;
    }

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

/// <summary>Stores turns in memory; can be told to fail.</summary>
public sealed class MemorySink : ICallEventSink
{
    public ConcurrentQueue<CallTurn> Turns { get; } = new();

    public bool Fail { get; init; }

    public Task StreamStartedAsync(Guid callId, string? providerCallId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AppendTurnAsync(CallTurn turn, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new InvalidOperationException("database down");
        }

        Turns.Enqueue(turn);
        return Task.CompletedTask;
    }
}

/// <summary>Answers every tool with ok (or throws for the named one), recording what was run.</summary>
public sealed class FakeTools(string? failing = null) : ILiveCallToolExecutor
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task<JsonObject> ExecuteAsync(LiveCallContext context, RealtimeToolCall toolCall, CancellationToken cancellationToken)
    {
        Calls.Enqueue(toolCall.Name);
        return toolCall.Name == failing
            ? throw new InvalidOperationException("store down")
            : Task.FromResult(new JsonObject { ["ok"] = true });
    }
}
