using LeadGen.Core.Leads;

namespace LeadGen.Core.Compliance;

/// <summary>
/// Decides whether a lead may be dialled now. This is the only place an <see cref="EligibleLead"/> is created, and
/// the dialer can only schedule calls for an <see cref="EligibleLead"/>: compliance by construction. A lead is
/// eligible only when all hold: it has a number and is not erased; its status allows dialling; its number is not on
/// the do-not-call list; consent is recorded when the campaign requires it; attempts are below the maximum; the retry
/// spacing since its last attempt has passed; and it is inside both the legal 08:00–21:00 window and the campaign's
/// window in its own local time — which must be known and unambiguous.
/// </summary>
public sealed class CallEligibilityPolicy(LeadTimeZoneResolver timeZones)
{
    /// <summary>Earliest local time a call may start, whatever the campaign says.</summary>
    public static readonly TimeOnly LegalWindowStart = new(8, 0);

    /// <summary>Calls start strictly before this local time.</summary>
    public static readonly TimeOnly LegalWindowEnd = new(21, 0);

    /// <summary>Statuses the dialer picks leads from.</summary>
    public static IReadOnlyList<string> SelectableStatuses { get; } = [LeadStatuses.New, LeadStatuses.Callback];

    public EligibilityDecision Evaluate(DialCandidate lead, DialRules rules, DateTimeOffset now, IReadOnlyCollection<string> allowedStatuses)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(allowedStatuses);

        if (lead.ErasedAt is not null || string.IsNullOrWhiteSpace(lead.Phone))
        {
            return EligibilityDecision.No(lead, IneligibilityReason.NoPhone, "The lead has no phone number (or was erased).");
        }

        if (!allowedStatuses.Contains(lead.Status))
        {
            return EligibilityDecision.No(lead, IneligibilityReason.StatusNotDialable, $"The lead's status is '{lead.Status}'.");
        }

        if (lead.OnDoNotCallList)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.DoNotCall, "The number is on the do-not-call list.");
        }

        if (rules.ConsentRequired && (lead.ConsentGivenAt is null || lead.ConsentGivenAt > now))
        {
            return EligibilityDecision.No(lead, IneligibilityReason.NoConsent, "The campaign requires consent and none is recorded.");
        }

        if (lead.Attempts >= rules.MaxAttempts)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.MaxAttemptsReached, $"{lead.Attempts} of {rules.MaxAttempts} attempts used.");
        }

        if (lead.LastAttemptAt is { } last && now < last + rules.RetrySpacing)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.RetrySpacing, $"Last attempt at {last:O}; next allowed after {last + rules.RetrySpacing:O}.");
        }

        if (lead.NextAttemptAt is { } next && now < next)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.NotDue, $"Next attempt scheduled for {next:O}.");
        }

        var resolution = timeZones.Resolve(lead.TimeZone, lead.Phone, rules.DefaultTimeZone);
        if (resolution.Candidates.Count == 0)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.UnknownTimeZone, resolution.Problem ?? "No time zone.");
        }

        var offsets = resolution.Candidates.Select(zone => zone.GetUtcOffset(now)).Distinct().ToList();
        if (offsets.Count > 1)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.AmbiguousTimeZone,
                $"The number maps to zones with different local times now ({string.Join(", ", resolution.Candidates.Select(zone => zone.Id))}).");
        }

        var zone = resolution.Candidates[0];
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var start = rules.WindowStart > LegalWindowStart ? rules.WindowStart : LegalWindowStart;
        var end = rules.WindowEnd < LegalWindowEnd ? rules.WindowEnd : LegalWindowEnd;
        if (local < start || local >= end)
        {
            return EligibilityDecision.No(lead, IneligibilityReason.OutsideCallingWindow,
                $"It is {local:HH\\:mm} in {zone.Id}; calls start between {start:HH\\:mm} and {end:HH\\:mm}.");
        }

        return EligibilityDecision.Yes(new EligibleLead(lead, zone.Id, resolution.Source, local, now));
    }
}

public enum IneligibilityReason
{
    NoPhone,
    StatusNotDialable,
    DoNotCall,
    NoConsent,
    MaxAttemptsReached,
    RetrySpacing,
    NotDue,
    UnknownTimeZone,
    AmbiguousTimeZone,
    OutsideCallingWindow,
}

/// <summary>A lead the policy found callable at <see cref="DecidedAt"/>. Only <see cref="CallEligibilityPolicy"/> creates one.</summary>
public sealed class EligibleLead
{
    internal EligibleLead(DialCandidate lead, string timeZoneId, string timeZoneSource, TimeOnly localTime, DateTimeOffset decidedAt)
    {
        Lead = lead;
        TimeZoneId = timeZoneId;
        TimeZoneSource = timeZoneSource;
        LocalTime = localTime;
        DecidedAt = decidedAt;
    }

    public DialCandidate Lead { get; }

    public Guid LeadId => Lead.LeadId;

    public string Phone => Lead.Phone!;

    public string TimeZoneId { get; }

    public string TimeZoneSource { get; }

    public TimeOnly LocalTime { get; }

    public DateTimeOffset DecidedAt { get; }
}

public sealed record EligibilityDecision(DialCandidate Lead, EligibleLead? Eligible, IneligibilityReason? Reason, string? Detail)
{
    public bool IsEligible => Eligible is not null;

    /// <summary>Problems only an operator can fix (the dialer reports them instead of waiting for them to pass).</summary>
    public bool NeedsOperator => Reason is IneligibilityReason.UnknownTimeZone or IneligibilityReason.AmbiguousTimeZone;

    internal static EligibilityDecision Yes(EligibleLead lead) => new(lead.Lead, lead, null, null);

    internal static EligibilityDecision No(DialCandidate lead, IneligibilityReason reason, string detail) => new(lead, null, reason, detail);
}
