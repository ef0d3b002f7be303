using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The engine seam as the call coordinator sees it: one way the agent thinks, for one call. An audio engine (a
/// realtime speech model behind <see cref="IRealtimeVoiceSession"/>, adapted by <see cref="RealtimeVoiceEngine"/>) hears
/// PCM and speaks PCM; a text engine (the <c>IChatClient</c> agent, <c>Calls/Text</c>) reads what the transport
/// transcribed and writes the words the transport voices. Both report through the same <see cref="RealtimeEvent"/>s:
/// for a text engine, <see cref="AgentTranscript"/> is the reply itself, in pieces.
/// </summary>
public interface ICallEngine : IAsyncDisposable
{
    /// <summary>The PCM16 rates of an audio engine; null for a text engine.</summary>
    EngineAudioFormat? Audio { get; }

    /// <summary>Opens the conversation with <paramref name="openingLine"/>; <paramref name="alreadySpoken"/>: the transport said it itself.</summary>
    ValueTask StartAsync(string openingLine, bool alreadySpoken, CancellationToken cancellationToken);

    /// <summary>Caller audio at <see cref="EngineAudioFormat.InputSampleRate"/> (audio engines).</summary>
    ValueTask SendCallerAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken);

    /// <summary>One whole caller utterance, transcribed by the transport (text engines).</summary>
    ValueTask SendCallerTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>Something the call itself tells the agent (a keypad opt-out, a silent line).</summary>
    ValueTask SendNoteAsync(CallNote note, CancellationToken cancellationToken);

    /// <summary>The caller cut the agent's reply short having heard <paramref name="heard"/> of it.</summary>
    ValueTask AgentInterruptedAsync(string heard, CancellationToken cancellationToken);

    ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken);

    /// <summary>Everything the agent says and does, in order; ends when the session is over.</summary>
    IAsyncEnumerable<RealtimeEvent> ReadEventsAsync(CancellationToken cancellationToken);
}

/// <summary>What the call code tells the agent, as an intent each engine puts in its own words.</summary>
public enum CallNote
{
    /// <summary>The caller pressed 9 and is on the do-not-call list: confirm, say goodbye, end.</summary>
    OptedOut,

    /// <summary>The line has been silent since the agent finished: ask whether they are still there.</summary>
    StillThere,

    /// <summary>Still silent after asking: say goodbye (the call then ends).</summary>
    NoResponse,
}
