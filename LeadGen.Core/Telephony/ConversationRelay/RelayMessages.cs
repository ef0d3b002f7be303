namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// One message of Twilio's ConversationRelay WebSocket protocol. Twilio sends <see cref="RelaySetup"/>,
/// <see cref="RelayPrompt"/>, <see cref="RelayInterrupt"/>, <see cref="RelayDtmf"/> and <see cref="RelayError"/>;
/// the application sends <see cref="RelayText"/>, <see cref="RelayPlay"/>, <see cref="RelaySendDigits"/>,
/// <see cref="RelayLanguage"/> and <see cref="RelayEnd"/>. Only <see cref="RelayProtocol"/> knows the JSON.
/// </summary>
public abstract record RelayMessage;

/// <summary>First message after the socket opens: the call and the TwiML's &lt;Parameter&gt;s.</summary>
public sealed record RelaySetup(
    string SessionId,
    string CallSid,
    string? AccountSid,
    string? From,
    string? To,
    string? Direction,
    string? CallStatus,
    IReadOnlyDictionary<string, string> CustomParameters) : RelayMessage;

/// <summary>What the caller said (speech-to-text). <paramref name="Last"/> false marks a partial transcript.</summary>
public sealed record RelayPrompt(string VoicePrompt, string? Lang, bool Last) : RelayMessage;

/// <summary>The caller talked over the agent: <paramref name="UtteranceUntilInterrupt"/> is what they heard of it.</summary>
public sealed record RelayInterrupt(string UtteranceUntilInterrupt, int DurationUntilInterruptMs) : RelayMessage;

public sealed record RelayDtmf(string Digit) : RelayMessage;

public sealed record RelayError(string Description) : RelayMessage;

/// <summary>A piece of the agent's reply for text-to-speech; <paramref name="Last"/> closes the reply.</summary>
public sealed record RelayText(string Token, bool Last, string? Lang = null, bool? Interruptible = null, bool? Preemptible = null) : RelayMessage;

/// <summary>Plays an audio file to the caller.</summary>
public sealed record RelayPlay(string Source, int? Loop = null, bool? Interruptible = null, bool? Preemptible = null) : RelayMessage;

/// <summary>Sends DTMF tones on the call (e.g. to navigate a phone menu).</summary>
public sealed record RelaySendDigits(string Digits) : RelayMessage;

/// <summary>Switches the text-to-speech and speech-to-text languages mid-call.</summary>
public sealed record RelayLanguage(string? TtsLanguage, string? TranscriptionLanguage) : RelayMessage;

/// <summary>Ends the session; Twilio posts <paramref name="HandoffData"/> to the &lt;Connect action&gt; URL.</summary>
public sealed record RelayEnd(string? HandoffData) : RelayMessage;

/// <summary>A frame that is not a protocol message (bad JSON, unknown type, missing fields).</summary>
public sealed record RelayMalformed(string Reason) : RelayMessage;
