using System.Text.Json.Nodes;

namespace LeadGen.Core.Calls.Realtime;

/// <summary>
/// A realtime speech-to-speech model (audio in, audio out, with tools). Implemented for the Gemini Live API; the call
/// bridge depends only on this, so another model (or an offline voice, a later issue) can replace it.
/// </summary>
public interface IRealtimeVoiceClient
{
    /// <summary>False when no model is configured: the voice webhook then tells the caller and hangs up.</summary>
    bool IsConfigured { get; }

    Task<IRealtimeVoiceSession> ConnectAsync(RealtimeSessionRequest request, CancellationToken cancellationToken);
}

/// <summary>One live conversation with the model. Audio in is PCM16 little-endian 16 kHz mono.</summary>
public interface IRealtimeVoiceSession : IAsyncDisposable
{
    ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16k, CancellationToken cancellationToken);

    /// <summary>A text turn from our side (the opening instruction, a note such as a DTMF opt-out).</summary>
    ValueTask SendTextAsync(string text, CancellationToken cancellationToken);

    ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken);

    /// <summary>Everything the model says and does, in order; ends when the session is over.</summary>
    IAsyncEnumerable<RealtimeEvent> ReadEventsAsync(CancellationToken cancellationToken);
}

public sealed record RealtimeSessionRequest(string SystemInstruction, IReadOnlyList<RealtimeToolDeclaration> Tools, string? Voice = null);

/// <param name="ParametersSchema">JSON Schema (OpenAPI subset) of the arguments object.</param>
public sealed record RealtimeToolDeclaration(string Name, string Description, JsonObject ParametersSchema);

public sealed record RealtimeToolCall(string Id, string Name, JsonObject Arguments);

public sealed record RealtimeToolResult(string Id, string Name, JsonObject Response);
