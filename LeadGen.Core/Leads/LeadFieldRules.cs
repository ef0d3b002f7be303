using System.Collections.Concurrent;
using System.Globalization;

namespace LeadGen.Core.Leads;

/// <summary>Validation shared by the import, lead creation and PATCH: one place says what a valid field is.</summary>
public static class LeadFieldRules
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxShortTextLength = 100;

    private static readonly ConcurrentDictionary<string, bool> KnownZones = new(StringComparer.Ordinal);

    /// <summary>Null when valid, else the reason.</summary>
    public static string? CheckLength(string? value, int max) =>
        value is not null && value.Length > max ? $"longer than {max} characters" : null;

    public static string? CheckEmail(string? email)
    {
        if (email is null)
        {
            return null;
        }

        if (email.Length > MaxEmailLength)
        {
            return $"longer than {MaxEmailLength} characters";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0 && at == email.LastIndexOf('@') && at < email.Length - 3
            && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace);
        return valid ? null : "not a valid e-mail address";
    }

    /// <summary>IANA zone ids only (America/New_York); Windows names are refused so every service reads them alike.</summary>
    public static string? CheckTimeZone(string? zone)
    {
        if (zone is null)
        {
            return null;
        }

        var known = KnownZones.GetOrAdd(zone, static id =>
            id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var info) && info.HasIanaId);
        return known ? null : $"'{zone}' is not an IANA time zone (e.g. America/New_York)";
    }

    /// <summary>ISO 8601 date or date-time; a value without offset is taken as UTC.</summary>
    public static bool TryParseTimestamp(string value, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
}
