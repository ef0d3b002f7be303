namespace LeadGen.Core.Calls.Realtime;

public abstract record RealtimeEvent;

/// <summary>Model speech: PCM16 little-endian mono at the session's output rate (<see cref="EngineAudioFormat"/>).</summary>
public sealed record AgentAudio(byte[] Pcm) : RealtimeEvent;

/// <summary>Transcription of what the model is saying (arrives in pieces).</summary>
public sealed record AgentTranscript(string Text) : RealtimeEvent;

/// <summary>Transcription of what the caller said (arrives in pieces).</summary>
public sealed record CallerTranscript(string Text) : RealtimeEvent;

/// <summary>The caller spoke over the model; the rest of the model's turn is cancelled.</summary>
public sealed record AgentInterrupted : RealtimeEvent;

/// <summary>The model finished its turn (all of its audio has been sent).</summary>
public sealed record AgentTurnComplete : RealtimeEvent;

public sealed record ToolCallsRequested(IReadOnlyList<RealtimeToolCall> Calls) : RealtimeEvent;

/// <summary>The model withdrew tool calls it had asked for (the caller interrupted it): they must have no effect.</summary>
public sealed record ToolCallsCancelled(IReadOnlyList<string> Ids) : RealtimeEvent;

/// <summary>The model has generated everything it will say for now (its audio may still be playing).</summary>
public sealed record AgentGenerationComplete : RealtimeEvent;

/// <summary>Tokens the engine used since its last report (one report per model turn), for storage and cost.</summary>
public sealed record EngineUsage(long InputTokens, long OutputTokens, long InputAudioTokens = 0, long OutputAudioTokens = 0) : RealtimeEvent;

/// <summary>The model connection was replaced (GoAway or a dropped socket) and the conversation resumed.</summary>
public sealed record SessionResumed(int Reconnects) : RealtimeEvent;

/// <summary>The session ended and could not be resumed.</summary>
public sealed record SessionEnded(string Reason) : RealtimeEvent;
