using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// A realtime voice session (Gemini Live) as a call engine: caller audio in, agent audio out. The call's notes become
/// instructions in words (<see cref="LiveCallPrompts"/>); interruptions need no message, the model hears them itself.
/// </summary>
public sealed class RealtimeVoiceEngine(IRealtimeVoiceSession session) : ICallEngine
{
    public EngineAudioFormat? Audio => session.Audio;

    public ValueTask StartAsync(string openingLine, bool alreadySpoken, CancellationToken cancellationToken) =>
        alreadySpoken ? ValueTask.CompletedTask : session.SendTextAsync(LiveCallPrompts.Opening(openingLine), cancellationToken);

    public ValueTask SendCallerAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) => session.SendAudioAsync(pcm, cancellationToken);

    public ValueTask SendCallerTextAsync(string text, CancellationToken cancellationToken) => session.SendTextAsync(LiveCallPrompts.CallerSaid(text), cancellationToken);

    public ValueTask SendNoteAsync(CallNote note, CancellationToken cancellationToken) => session.SendTextAsync(LiveCallPrompts.For(note), cancellationToken);

    public ValueTask AgentInterruptedAsync(string heard, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken) => session.SendToolResultsAsync(results, cancellationToken);

    public IAsyncEnumerable<RealtimeEvent> ReadEventsAsync(CancellationToken cancellationToken) => session.ReadEventsAsync(cancellationToken);

    public ValueTask DisposeAsync() => session.DisposeAsync();
}
