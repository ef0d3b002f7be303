using System.Text.Json.Nodes;

namespace LeadGen.Core.Calls.Realtime;

/// <summary>
/// The engine seam: a realtime speech-to-speech model (audio in, audio out, with tools). Implemented for the Gemini Live
/// API (<c>Gemini/Live</c>); the call coordinator and every transport depend only on this, never on a vendor.
/// </summary>
public interface IRealtimeVoiceClient
{
    /// <summary>False when no model is configured: the voice webhook then tells the caller and hangs up.</summary>
    bool IsConfigured { get; }

    Task<IRealtimeVoiceSession> ConnectAsync(RealtimeSessionRequest request, CancellationToken cancellationToken);
}

/// <summary>One live conversation with the model. Audio both ways is PCM16 little-endian mono at <see cref="Audio"/>'s rates.</summary>
public interface IRealtimeVoiceSession : IAsyncDisposable
{
    EngineAudioFormat Audio { get; }

    /// <summary>Caller audio at <see cref="EngineAudioFormat.InputSampleRate"/>; the memory may be reused once this returns.</summary>
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken);

    /// <summary>A text turn from our side (the opening instruction, a note such as a keypad opt-out).</summary>
    ValueTask SendTextAsync(string text, CancellationToken cancellationToken);

    ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken);

    /// <summary>Everything the model says and does, in order; ends when the session is over.</summary>
    IAsyncEnumerable<RealtimeEvent> ReadEventsAsync(CancellationToken cancellationToken);
}

/// <summary>PCM16 little-endian mono sample rates an engine takes (caller audio) and produces (agent audio).</summary>
public sealed record EngineAudioFormat(int InputSampleRate, int OutputSampleRate)
{
    /// <summary>Milliseconds of audio in <paramref name="bytes"/> PCM16 bytes at <paramref name="sampleRate"/>.</summary>
    public static int Milliseconds(int bytes, int sampleRate) => (int)(bytes / 2 * 1000L / sampleRate);
}

/// <param name="Voice">The engine's voice name (Gemini: a prebuilt voice such as Aoede); null for its default.</param>
/// <param name="Language">BCP-47 language the agent speaks and the transcripts are in (the campaign's).</param>
/// <param name="TurnTaking">How the engine decides the caller started or stopped speaking; null for the phone defaults.</param>
public sealed record RealtimeSessionRequest(
    string SystemInstruction,
    IReadOnlyList<RealtimeToolDeclaration> Tools,
    string? Voice = null,
    string Language = "en-US",
    RealtimeTurnTaking? TurnTaking = null);

/// <param name="ParametersSchema">Standard JSON Schema of the arguments object; each engine converts it to its own dialect.</param>
public sealed record RealtimeToolDeclaration(string Name, string Description, JsonObject ParametersSchema);

public sealed record RealtimeToolCall(string Id, string Name, JsonObject Arguments);

public sealed record RealtimeToolResult(string Id, string Name, JsonObject Response);
