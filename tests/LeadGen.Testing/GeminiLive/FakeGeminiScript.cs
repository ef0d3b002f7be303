using System.Text.Json.Nodes;

namespace LeadGen.Testing.GeminiLive;

/// <summary>What the fake Live model says and does. It cannot recognise speech: caller turns are detected by voice
/// activity (like the real server's VAD) and "transcribed" with the scripted text, in order.</summary>
public sealed class FakeGeminiScript
{
    public string OpeningReply { get; init; } = "Hello, this is an AI assistant. This call may be recorded.";

    public IReadOnlyList<FakeGeminiTurn> Turns { get; init; } = [];

    /// <summary>Said in answer to a text turn other than the opening (e.g. the DTMF opt-out note), then end_call.</summary>
    public string TextTurnReply { get; init; } = "Understood, you will not be called again. Goodbye.";

    /// <summary>Model "thinking" time before the first audio of a reply.</summary>
    public TimeSpan ReplyDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Stream reply audio at twice real-time pace (true) or all at once (false: the instant model for benchmarks).</summary>
    public bool PaceAudio { get; init; } = true;

    public int SpeechMsPerWord { get; init; } = 250;

    /// <summary>Silence after speech that ends the caller's turn (espeak-ng pauses ~0.4 s between sentences).</summary>
    public int EndOfTurnSilenceMs { get; init; } = 700;

    /// <summary>Send goAway after this many caller turns (resumption test); negative: never.</summary>
    public int GoAwayAfterTurn { get; init; } = -1;

    /// <summary>
    /// Connection rotation mid-sentence: a checkpoint (resumption update) <see cref="ConsumedLag"/> messages before, then
    /// after this many caller audio messages on the first connection the connection drops without a close frame, so
    /// the messages since the checkpoint must be sent again. Negative: never.
    /// </summary>
    public int DropAfterAudioMessages { get; init; } = -1;

    public int ConsumedLag { get; init; } = 5;

    /// <summary>Keep the first little-endian 16-bit sample of every caller audio message (tests number their frames).</summary>
    public bool RecordFrameNumbers { get; init; }
}

/// <param name="CallerTranscript">What the caller "said" (sent back as inputTranscription).</param>
/// <param name="AgentReply">The agent's answer (spoken as audio, with outputTranscription).</param>
/// <param name="ToolBeforeReply">A tool call made before answering (the reply waits for its toolResponse).</param>
/// <param name="ToolAfterReply">A tool call made after the answer (e.g. end_call after goodbye).</param>
public sealed record FakeGeminiTurn(string CallerTranscript, string AgentReply, FakeToolCall? ToolBeforeReply = null, FakeToolCall? ToolAfterReply = null);

public sealed record FakeToolCall(string Name, JsonObject Arguments);
