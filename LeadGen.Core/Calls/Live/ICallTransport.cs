using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The transport seam: one way a person is reached (Twilio Media Streams and a browser socket carry audio; Twilio
/// ConversationRelay carries text). Only the transport knows its wire format and codec; it takes the agent's speech
/// (PCM16, or text for a text transport) and reports back what the person actually heard.
/// One sender at a time per method family is not required: implementations serialise their own sends.
/// </summary>
public interface ICallTransport
{
    /// <summary>Whether <see cref="TransferToHuman"/> can be carried out (a browser test call cannot be transferred).</summary>
    bool CanTransfer { get; }

    /// <summary>Called once, before any audio: the engine's PCM16 rates (throws <see cref="NotSupportedException"/> if unusable).</summary>
    void UseEngineAudio(EngineAudioFormat format);

    /// <summary>Reads the person's side until they leave (or the token is cancelled), reporting to <paramref name="events"/>.</summary>
    Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken);

    /// <summary>Agent speech for agent turn <paramref name="turn"/> (PCM16 at the engine's output rate).</summary>
    ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken);

    /// <summary>The turn's audio is all sent: play what is buffered; its end is reported through <see cref="ICallTransportEvents.OnAgentAudioPlayedAsync"/>.</summary>
    ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken);

    /// <summary>Stops playing everything not yet heard (barge-in).</summary>
    ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken);

    /// <summary>Acts on the call (hang up, transfer); the coordinator ends the call right after.</summary>
    ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken);

    ValueTask CloseAsync(CallCloseReason reason);

    /// <summary>True for a transport that carries text (the far side does speech-to-text and text-to-speech).</summary>
    bool CarriesText => false;

    /// <summary>The opening line the far side has already spoken by itself (ConversationRelay's welcome greeting), if any.</summary>
    string? SpokenGreeting => null;

    /// <summary>How long the line may stay silent after the agent finished before the agent asks (null: the engine's business).</summary>
    TimeSpan? SilenceTimeout => null;

    /// <summary>A piece of agent turn <paramref name="turn"/>'s words (text transports).</summary>
    ValueTask SendAgentTextAsync(int turn, string text, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This transport carries audio.");
}

/// <summary>What a transport reports to the call coordinator.</summary>
public interface ICallTransportEvents
{
    /// <param name="pcm">Caller audio at the engine's input rate; valid only until this returns.</param>
    /// <param name="voiced">The transport's voice-activity decision for this piece (it has the decoded samples).</param>
    ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken);

    ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken);

    /// <summary><paramref name="playedMs"/> of agent turn <paramref name="turn"/> has been heard; <paramref name="turnComplete"/>: all of it.</summary>
    ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken);

    /// <summary>One whole caller utterance, transcribed by the far side (text transports).</summary>
    ValueTask OnCallerTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>The far side stopped the agent because the caller talked over it, having played <paramref name="heard"/> of its turn.</summary>
    ValueTask OnCallerInterruptedAsync(string heard, CancellationToken cancellationToken);
}

/// <summary>What the call code asks of the telephony side, instead of provider markup (TwiML).</summary>
public abstract record CallIntent;

/// <param name="Reason">Why, for the telephony side's records (e.g. <c>no-response</c>); null: the conversation ended.</param>
public sealed record HangUp(string? Reason = null) : CallIntent;

public sealed record TransferToHuman(string Number) : CallIntent;

/// <summary>Says a short line in the person's language without the engine (e.g. no capacity), then hangs up.</summary>
public sealed record SayAndHangUp(string Text, string Language) : CallIntent;

public enum CallCloseReason
{
    Ended,
    EngineUnavailable,
}
