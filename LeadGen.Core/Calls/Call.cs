using System.Text.Json.Nodes;

namespace LeadGen.Core.Calls;

/// <summary>One phone call (outbound or inbound) and what came out of it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "C#-only code base; the VB keyword does not matter.")]
public sealed record Call
{
    public required Guid Id { get; init; }

    /// <summary>Null for an inbound call from a number that matches no lead.</summary>
    public Guid? LeadId { get; init; }

    public Guid? CampaignId { get; init; }

    /// <summary><see cref="CallDirections"/>.</summary>
    public required string Direction { get; init; }

    /// <summary>Telephony provider name (twilio, simulator).</summary>
    public required string Provider { get; init; }

    public string? ProviderCallId { get; init; }

    public string? FromNumber { get; init; }

    public string? ToNumber { get; init; }

    /// <summary><see cref="CallStatuses"/>.</summary>
    public required string Status { get; init; }

    /// <summary>human | machine | unknown (answering-machine detection), null before answer.</summary>
    public string? AnsweredBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? DurationSeconds { get; init; }

    /// <summary><see cref="CallDispositions"/> (free text so features can add outcomes).</summary>
    public string? Disposition { get; init; }

    public string? RecordingUrl { get; init; }

    /// <summary>The call's own recording in the recording store (Calls/Recording); null when there is none.</summary>
    public string? RecordingKey { get; init; }

    /// <summary>What the call cost in USD (tokens + telephony, Calls/Costs); null until it is priced after it ends.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>How <see cref="CostUsd"/> was made up (model and telephony parts, billed minutes, anything unpriced).</summary>
    public JsonObject? CostDetail { get; init; }

    public string? Summary { get; init; }

    /// <summary>Fields the agent captured during the call (record_lead_details tool).</summary>
    public JsonObject Extracted { get; init; } = [];

    /// <summary>Post-call analysis (BANT scores, next step); null until analysed.</summary>
    public JsonObject? Analysis { get; init; }

    /// <summary>Model that handled the call, e.g. "gemini-live-2.5-flash" or "offline" — never hidden.</summary>
    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? ErasedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

public static class CallDirections
{
    public const string Outbound = "outbound";
    public const string Inbound = "inbound";
}

/// <summary>Telephony status of a call (Twilio's values with underscores).</summary>
public static class CallStatuses
{
    public const string Queued = "queued";
    public const string Initiated = "initiated";
    public const string Ringing = "ringing";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string NoAnswer = "no_answer";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    public static IReadOnlyList<string> All { get; } = [Queued, Initiated, Ringing, InProgress, Completed, Busy, NoAnswer, Failed, Canceled];

    /// <summary>Statuses after which nothing more happens on the call.</summary>
    public static IReadOnlyList<string> Final { get; } = [Completed, Busy, NoAnswer, Failed, Canceled];

    /// <summary>Statuses of a call that holds one of its campaign's call slots.</summary>
    public static IReadOnlyList<string> Live { get; } = [Queued, Initiated, Ringing, InProgress];

    /// <summary>
    /// Where a status stands in a call's life (queued 0 … in_progress 3, every final status 4). A call's status only
    /// moves to a higher rank: late, repeated or reordered events never undo a newer one, and the first final wins.
    /// </summary>
    public static int Rank(string status) => Final.Contains(status) ? Live.Count : Math.Max(0, IndexOf(Live, status));

    private static int IndexOf(IReadOnlyList<string> list, string status)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == status)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Known business outcomes of a call.</summary>
public static class CallDispositions
{
    public const string Qualified = "qualified";
    public const string Disqualified = "disqualified";
    public const string Callback = "callback";
    public const string DoNotCall = "do_not_call";
    public const string Voicemail = "voicemail";

    /// <summary>Answering-machine detection heard a fax machine.</summary>
    public const string Fax = "fax";
    public const string NoAnswer = "no_answer";
    public const string Busy = "busy";
    public const string Failed = "failed";
    public const string Transferred = "transferred";
    public const string HungUp = "hung_up";
}

/// <summary>One utterance in a call transcript. Agent turns hold only the audio the caller actually heard.</summary>
public sealed record CallTurn
{
    public required Guid CallId { get; init; }

    /// <summary>0-based order within the call.</summary>
    public required int Seq { get; init; }

    /// <summary><see cref="CallSpeakers"/>.</summary>
    public required string Speaker { get; init; }

    public required string Text { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>True when the caller barged in and cut this (agent) turn short.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Model tokens generating this agent turn used (prompt, reply), as the engine reported them; null when none were.</summary>
    public long? InputTokens { get; init; }

    /// <inheritdoc cref="InputTokens"/>
    public long? OutputTokens { get; init; }
}

public static class CallSpeakers
{
    public const string Agent = "agent";
    public const string Caller = "caller";
    public const string System = "system";
    public const string Tool = "tool";
}

/// <summary>What the dialer or the inbound webhook knows when a call begins.</summary>
public sealed record NewCall
{
    /// <summary>Optional caller-chosen id (e.g. the job id, for idempotency); a UUIDv7 otherwise.</summary>
    public Guid? Id { get; init; }

    public Guid? LeadId { get; init; }

    public Guid? CampaignId { get; init; }

    public required string Direction { get; init; }

    public required string Provider { get; init; }

    public string? ProviderCallId { get; init; }

    public string? FromNumber { get; init; }

    public string? ToNumber { get; init; }

    public string Status { get; init; } = CallStatuses.Queued;

    public string? Model { get; init; }
}

/// <summary>Filters for the call list (keyset paging on id, which is creation order).</summary>
public sealed record CallQuery
{
    public Guid? CampaignId { get; init; }

    public Guid? LeadId { get; init; }

    public string? Status { get; init; }

    public string? Disposition { get; init; }

    public Guid? After { get; init; }

    public int Limit { get; init; } = 50;
}
