namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>A Media Streams WebSocket message (Twilio's JSON protocol), in either direction.</summary>
public abstract record MediaStreamEvent;

/// <summary>Twilio → us: first message after the socket opens.</summary>
public sealed record ConnectedEvent(string? Protocol, string? Version) : MediaStreamEvent;

/// <summary>Twilio → us: stream metadata, including the <c>&lt;Parameter&gt;</c>s from the TwiML.</summary>
public sealed record StartEvent(
    string StreamSid,
    string? CallSid,
    string? AccountSid,
    IReadOnlyDictionary<string, string> CustomParameters,
    string? Encoding,
    int SampleRate) : MediaStreamEvent;

/// <summary>Audio (base64 μ-law 8 kHz on the wire, decoded here). Both directions.</summary>
public sealed record MediaEvent(string? StreamSid, long Chunk, long TimestampMs, byte[] Payload) : MediaStreamEvent;

/// <summary>Twilio → us: a key press.</summary>
public sealed record DtmfEvent(string Digit) : MediaStreamEvent;

/// <summary>Both directions: we send a mark after audio; Twilio echoes it once that audio has played.</summary>
public sealed record MarkEvent(string? StreamSid, string Name) : MediaStreamEvent;

/// <summary>Us → Twilio: drop all buffered audio (barge-in).</summary>
public sealed record ClearEvent(string? StreamSid) : MediaStreamEvent;

/// <summary>Twilio → us: the stream ended (hang-up or redirect).</summary>
public sealed record StopEvent : MediaStreamEvent;

/// <summary>Anything we could not understand; never thrown, so a bad frame cannot crash the call.</summary>
public sealed record MalformedEvent(string Reason) : MediaStreamEvent;
