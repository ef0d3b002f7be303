using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// The TwiML that hands a call to ConversationRelay: <c>&lt;Connect action=…&gt;&lt;ConversationRelay url=…
/// welcomeGreeting=… language=… voice=… ttsProvider=… transcriptionProvider=… dtmfDetection="true"&gt;</c> with the
/// single-use connection token (and the webhook's trace context) as &lt;Parameter&gt;s, which Twilio echoes in setup's
/// customParameters. Built with the Twilio SDK so it is always well-formed.
/// </summary>
public static class ConversationRelayTwiML
{
    public const string TokenParameter = "token";
    public const string TraceParentParameter = "traceparent";

    public static string Connect(Uri socketUrl, Uri actionUrl, RelayGreeting greeting, ConversationRelayOptions options, string token, string? traceParent)
    {
        var relay = new global::Twilio.TwiML.Voice.ConversationRelay
        {
            Url = socketUrl.ToString(),
            WelcomeGreeting = greeting.Text,
            LanguageAttribute = greeting.Language,
            Voice = greeting.Voice,
            TtsProvider = options.TtsProvider,
            TranscriptionProvider = options.TranscriptionProvider,
            DtmfDetection = true,
        };
        relay.Parameter(name: TokenParameter, value: token);
        if (traceParent is not null)
        {
            relay.Parameter(name: TraceParentParameter, value: traceParent);
        }

        var connect = new Connect(action: actionUrl);
        connect.Append(relay);
        return new VoiceResponse().Append(connect).ToString();
    }
}

/// <param name="Text">What Twilio says when the call connects (the agent's opening: AI disclosure, opt-out, first question).</param>
/// <param name="Language">BCP-47 language for speech in both directions.</param>
/// <param name="Voice">The TTS provider's voice, or null for its default.</param>
public sealed record RelayGreeting(string Text, string Language, string? Voice);
