using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace LeadGen.Core.Leads;

/// <summary>
/// Turns what people type into E.164 (+14155550123) with libphonenumber, and derives the number's time zone when the
/// number maps to exactly one zone (most fixed and many mobile ranges), so the dialer can honour local calling hours.
/// </summary>
public sealed class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper TimeZones = PhoneNumberToTimeZonesMapper.GetInstance();
    private readonly ConcurrentDictionary<string, bool> _knownRegions = new(StringComparer.OrdinalIgnoreCase);

    public PhoneNumberNormalizer(IOptions<LeadOptions> options)
    {
        DefaultRegion = options.Value.DefaultRegion.ToUpperInvariant();
        if (!IsKnownRegion(DefaultRegion))
        {
            throw new OptionsValidationException(LeadOptions.SectionName, typeof(LeadOptions), [$"Leads:DefaultRegion '{DefaultRegion}' is not a region libphonenumber knows (use an ISO 3166 code such as US or GB)."]);
        }
    }

    public string DefaultRegion { get; }

    /// <summary>Whether <paramref name="region"/> is an ISO 3166 region with a calling code.</summary>
    public bool IsKnownRegion(string region) =>
        _knownRegions.GetOrAdd(region, static code => Util.GetSupportedRegions().Contains(code.ToUpperInvariant()));

    /// <param name="raw">The number as written.</param>
    /// <param name="region">Region for numbers without country code; the configured default when null.</param>
    public PhoneNumberResult Normalize(string raw, string? region = null)
    {
        var effectiveRegion = string.IsNullOrWhiteSpace(region) ? DefaultRegion : region.Trim().ToUpperInvariant();
        if (!IsKnownRegion(effectiveRegion))
        {
            return PhoneNumberResult.Invalid($"unknown country/region '{region}' (use an ISO 3166 code such as US or GB)");
        }

        PhoneNumber number;
        try
        {
            number = Util.Parse(raw, effectiveRegion);
        }
        catch (NumberParseException ex)
        {
            return PhoneNumberResult.Invalid($"not a phone number ({Describe(ex.ErrorType)})");
        }

        if (!Util.IsValidNumber(number))
        {
            return PhoneNumberResult.Invalid($"not a valid phone number for region {Util.GetRegionCodeForNumber(number) ?? effectiveRegion}");
        }

        var zones = TimeZones.GetTimeZonesForNumber(number);
        var zone = zones.Count == 1 && zones[0] != "Etc/Unknown" ? zones[0] : null;
        return new PhoneNumberResult(Util.Format(number, PhoneNumberFormat.E164), zone, null);
    }

    private static string Describe(ErrorType error) => error switch
    {
        ErrorType.INVALID_COUNTRY_CODE => "unknown country code",
        ErrorType.NOT_A_NUMBER => "no digits in the expected places",
        ErrorType.TOO_SHORT_AFTER_IDD or ErrorType.TOO_SHORT_NSN => "too short",
        ErrorType.TOO_LONG => "too long",
        _ => error.ToString(),
    };
}

/// <param name="E164">The number in E.164, null when invalid.</param>
/// <param name="TimeZone">IANA zone when the number maps to exactly one, else null.</param>
/// <param name="Error">Why the number was rejected, null when valid.</param>
public sealed record PhoneNumberResult(string? E164, string? TimeZone, string? Error)
{
    public bool IsValid => E164 is not null;

    public static PhoneNumberResult Invalid(string error) => new(null, null, error);
}
