using System.Collections.Concurrent;
using PhoneNumbers;

namespace LeadGen.Core.Compliance;

/// <summary>
/// Finds the time zone(s) a lead may be in: the lead's explicit IANA zone, else the zones libphonenumber maps its
/// number to, else the campaign's default zone. Several zones (a number whose area spans zones) are kept as
/// candidates; the eligibility policy refuses to call when they disagree on the local time.
/// </summary>
public sealed class LeadTimeZoneResolver
{
    private static readonly PhoneNumberUtil PhoneNumbers = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper TimeZonesMapper = PhoneNumberToTimeZonesMapper.GetInstance();
    private readonly ConcurrentDictionary<string, TimeZoneInfo?> _zones = new(StringComparer.Ordinal);

    public TimeZoneResolution Resolve(string? explicitZone, string? phone, string? campaignDefaultZone)
    {
        if (!string.IsNullOrWhiteSpace(explicitZone))
        {
            // An explicit zone that is not a real one is an error to fix, never a reason to guess.
            return FindZone(explicitZone) is { } zone
                ? new TimeZoneResolution([zone], TimeZoneSources.Lead, null)
                : new TimeZoneResolution([], TimeZoneSources.None, $"The lead's time zone '{explicitZone}' is not a known IANA zone.");
        }

        var fromNumber = ZonesForNumber(phone);
        if (fromNumber.Count > 0)
        {
            return new TimeZoneResolution(fromNumber, TimeZoneSources.PhoneNumber, null);
        }

        if (!string.IsNullOrWhiteSpace(campaignDefaultZone) && FindZone(campaignDefaultZone) is { } fallback)
        {
            return new TimeZoneResolution([fallback], TimeZoneSources.CampaignDefault, null);
        }

        return new TimeZoneResolution([], TimeZoneSources.None, "No time zone: the lead has none and none can be derived from its number.");
    }

    private List<TimeZoneInfo> ZonesForNumber(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return [];
        }

        PhoneNumber number;
        try
        {
            number = PhoneNumbers.Parse(phone, null);
        }
        catch (NumberParseException)
        {
            return [];
        }

        // By number type first (non-geographic numbers map to their country's zones); a number the metadata calls
        // invalid still has a geographic prefix, which beats any default (never guess another continent for it).
        var zones = Known(TimeZonesMapper.GetTimeZonesForNumber(number));
        return zones.Count > 0 ? zones : Known(TimeZonesMapper.GetTimeZonesForGeographicalNumber(number));
    }

    private List<TimeZoneInfo> Known(IEnumerable<string> ids)
    {
        var unknown = TimeZonesMapper.GetUnknownTimeZone();
        return [.. ids
            .Where(id => !string.Equals(id, unknown, StringComparison.Ordinal))
            .Select(FindZone)
            .OfType<TimeZoneInfo>()
            .DistinctBy(zone => zone.Id)];
    }

    private TimeZoneInfo? FindZone(string id) => _zones.GetOrAdd(id, static key =>
        TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : null);
}

/// <param name="Candidates">Zones the lead may be in (empty when unknown).</param>
/// <param name="Source"><see cref="TimeZoneSources"/>.</param>
/// <param name="Problem">Why no zone could be found, when <paramref name="Candidates"/> is empty.</param>
public sealed record TimeZoneResolution(IReadOnlyList<TimeZoneInfo> Candidates, string Source, string? Problem);

public static class TimeZoneSources
{
    public const string Lead = "lead";
    public const string PhoneNumber = "phone_number";
    public const string CampaignDefault = "campaign_default";
    public const string None = "none";
}
