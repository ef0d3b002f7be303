using LeadGen.Core.Telephony.Twilio;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Where ConversationRelay's endpoints live (the VoiceApi maps them): <c>GET relay</c> (the WebSocket) and
/// <c>POST relay-action</c> (the &lt;Connect action&gt; Twilio calls when the session ends), and the handoff data
/// both sides read.
/// </summary>
public static class ConversationRelayWebhooks
{
    public const string RelayPath = TwilioWebhooks.BasePath + "/relay";
    public const string ActionPath = TwilioWebhooks.BasePath + "/relay-action";
    public const string HandoffReasonCode = "reasonCode";
    public const string HumanHandoff = "live-agent-handoff";
}
