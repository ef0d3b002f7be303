using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Campaigns;

/// <summary>A calling campaign: what the agent sells, how it sounds, what it asks, and when and how often it calls.</summary>
public sealed record Campaign
{
    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public required string Status { get; init; }

    public required CampaignSettings Settings { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Everything about a campaign an operator edits (all but id, name, status and timestamps).</summary>
public sealed record CampaignSettings
{
    public string? Description { get; init; }

    /// <summary>The name the agent introduces itself with (it always also says it is an AI).</summary>
    public string PersonaName { get; init; } = "Alex";

    /// <summary>Extra instructions appended to the agent's system prompt (tone, do's and don'ts).</summary>
    public string? AgentInstructions { get; init; }

    /// <summary>BCP-47 language of the conversation.</summary>
    public string Language { get; init; } = "en-US";

    /// <summary>Voice name for the realtime model (native_audio) or the TTS provider (conversation_relay); null for its default.</summary>
    public string? Voice { get; init; }

    public string? CompanyName { get; init; }

    public string? CompanyFacts { get; init; }

    public string? ProductName { get; init; }

    public string? ProductFacts { get; init; }

    /// <summary>Asked in this order; each answer is stored under its key in the lead's qualification JSON.</summary>
    public IReadOnlyList<QualificationQuestion> QualificationQuestions { get; init; } = [];

    /// <summary>Earliest local time (lead's zone) to call. The dialer also enforces the legal 08:00-21:00 window.</summary>
    public TimeOnly CallingWindowStart { get; init; } = new(9, 0);

    /// <summary>Latest local time (lead's zone) to start a call.</summary>
    public TimeOnly CallingWindowEnd { get; init; } = new(20, 0);

    /// <summary>IANA zone for leads whose zone is neither given nor derivable from their number.</summary>
    public string? DefaultTimeZone { get; init; }

    public int MaxAttempts { get; init; } = 3;

    /// <summary>Minimum minutes between two attempts on the same lead.</summary>
    public int RetrySpacingMinutes { get; init; } = 240;

    /// <summary>E.164 caller ID to present; null means the telephony default (Twilio:FromNumber).</summary>
    public string? CallerId { get; init; }

    /// <summary>E.164 number the agent transfers to when the lead asks for a human; null disables transfers.</summary>
    public string? TransferNumber { get; init; }

    /// <summary>When true the dialer never calls a lead without recorded consent.</summary>
    public bool ConsentRequired { get; init; } = true;

    /// <summary><see cref="VoicemailActions"/>: leave_message or hang_up.</summary>
    public string VoicemailAction { get; init; } = VoicemailActions.HangUp;

    public string? VoicemailMessage { get; init; }

    /// <summary>
    /// Live calls (queued, initiated, ringing, in progress) the dialer allows at once (1–1000); null means the Worker's
    /// <c>Dialer:DefaultMaxConcurrentCalls</c>.
    /// </summary>
    public int? MaxConcurrentCalls { get; init; }

    /// <summary>Bounds of <see cref="MaxConcurrentCalls"/> (the database's check).</summary>
    public const int MaxConcurrentCallsLimit = 1000;

    /// <summary><see cref="VoiceModes"/>: native_audio (Gemini Live over Media Streams) or conversation_relay (Twilio STT/TTS, text agent).</summary>
    public string VoiceMode { get; init; } = VoiceModes.NativeAudio;

    /// <summary>Live-call turn-taking (native_audio): how the model decides the caller started or stopped speaking.</summary>
    public RealtimeTurnTaking TurnTaking { get; init; } = RealtimeTurnTaking.PhoneDefaults;
    /// <summary>When true the bridge records the calls (both sides) and the opening line says the call may be recorded.</summary>
    public bool RecordCalls { get; init; } = true;
}

/// <param name="Key">Stable identifier (e.g. "budget"); the lead's qualification JSON uses it as property name.</param>
/// <param name="Question">What the agent asks, in natural words.</param>
public sealed record QualificationQuestion(string Key, string Question);

public static class CampaignStatuses
{
    public const string Draft = "draft";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";

    public static IReadOnlyList<string> All { get; } = [Draft, Running, Paused, Completed];
}

public static class VoicemailActions
{
    public const string LeaveMessage = "leave_message";
    public const string HangUp = "hang_up";

    public static IReadOnlyList<string> All { get; } = [LeaveMessage, HangUp];
}

/// <summary>How a campaign's calls carry the conversation.</summary>
public static class VoiceModes
{
    /// <summary>Caller audio to a realtime voice model (Gemini Live) over Twilio Media Streams.</summary>
    public const string NativeAudio = "native_audio";

    /// <summary>Twilio ConversationRelay does speech-to-text and text-to-speech; the text agent (IChatClient) talks.</summary>
    public const string ConversationRelay = "conversation_relay";

    public static IReadOnlyList<string> All { get; } = [NativeAudio, ConversationRelay];
}
