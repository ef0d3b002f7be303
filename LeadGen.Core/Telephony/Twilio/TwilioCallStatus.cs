using LeadGen.Core.Calls;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>Twilio's call statuses ("queued", "in-progress", "no-answer", …) in our vocabulary: the one mapping.</summary>
public static class TwilioCallStatus
{
    /// <summary>The <see cref="CallStatuses"/> value for a Twilio status; null when Twilio has no such status.</summary>
    public static string? ToCallStatus(string? twilioStatus) =>
        twilioStatus?.Replace('-', '_') is { } status && CallStatuses.All.Contains(status) ? status : null;
}
