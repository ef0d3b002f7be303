namespace LeadGen.Core.Campaigns;

/// <summary>
/// A campaign as a client enters it: the body of POST /api/campaigns and PUT /api/campaigns/{id}, and what the console's
/// campaign form submits (PUT replaces every setting; omitted ones get defaults). <see cref="CampaignRules"/> validates it.
/// </summary>
public sealed record CampaignRequest(string? Name, CampaignSettingsRequest? Settings);

/// <summary>Campaign settings as sent by clients; times are "HH:mm" in the lead's local time.</summary>
public sealed record CampaignSettingsRequest
{
    public string? Description { get; init; }

    public string? PersonaName { get; init; }

    public string? AgentInstructions { get; init; }

    public string? Language { get; init; }

    public string? Voice { get; init; }

    public string? CompanyName { get; init; }

    public string? CompanyFacts { get; init; }

    public string? ProductName { get; init; }

    public string? ProductFacts { get; init; }

    public IReadOnlyList<QualificationQuestion>? QualificationQuestions { get; init; }

    public string? CallingWindowStart { get; init; }

    public string? CallingWindowEnd { get; init; }

    public string? DefaultTimeZone { get; init; }

    public int? MaxAttempts { get; init; }

    public int? RetrySpacingMinutes { get; init; }

    public string? CallerId { get; init; }

    public string? TransferNumber { get; init; }

    public bool? ConsentRequired { get; init; }

    public string? VoicemailAction { get; init; }

    public string? VoicemailMessage { get; init; }

    /// <summary>Live calls allowed at once, 1–1000; omitted: the Worker's default (Dialer:DefaultMaxConcurrentCalls).</summary>
    public int? MaxConcurrentCalls { get; init; }

    /// <summary>native_audio (default) or conversation_relay.</summary>
    public string? VoiceMode { get; init; }

    /// <summary>Live-call turn-taking; omitted fields get the phone defaults.</summary>
    public TurnTakingRequest? TurnTaking { get; init; }

    /// <summary>Record the calls (default true); the opening line mentions the recording only when on.</summary>
    public bool? RecordCalls { get; init; }
}

/// <summary>Voice activity detection for native_audio calls: sensitivities "low" | "high", times in milliseconds.</summary>
public sealed record TurnTakingRequest(string? StartSensitivity, string? EndSensitivity, int? PrefixPaddingMs, int? SilenceDurationMs, bool? InterruptOnSpeech);
