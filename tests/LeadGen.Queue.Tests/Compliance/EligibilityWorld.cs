using System.Globalization;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;

namespace LeadGen.Queue.Tests.Compliance;

/// <summary>
/// Random leads, campaigns and clock times for the eligibility property tests, plus an oracle written from the rules
/// (not from the implementation): what must hold for any lead the dialer is allowed to call.
/// </summary>
internal sealed class EligibilityWorld(int seed)
{
    /// <summary>Number prefixes with the zones a person would name for them (empty: the number has no zone), and how
    /// many random digits complete a number.</summary>
    public static readonly IReadOnlyList<(string Prefix, int Digits, string[] Zones)> PhoneBook =
    [
        ("+1212736", 4, ["America/New_York"]),
        ("+14152", 6, ["America/Los_Angeles"]),
        ("+18082", 6, ["Pacific/Honolulu"]),
        ("+4420794", 5, ["Europe/London"]),
        ("+813", 8, ["Asia/Tokyo"]),
        ("+6129", 7, ["Australia/Sydney"]),
        ("+4930", 7, ["Europe/Berlin"]),
        // Toll-free: every US zone; never callable without an explicit zone (their local times always disagree).
        ("+18002", 6, ["America/New_York", "America/Los_Angeles"]),
        // International freephone: no zone at all.
        ("+800", 8, []),
    ];

    public static string[] ZonesOf(string phone) => PhoneBook.Single(entry => phone.StartsWith(entry.Prefix, StringComparison.Ordinal)).Zones;

    public string NextPhone()
    {
        var (prefix, digits, _) = PhoneBook[Random.Next(PhoneBook.Count)];
        return prefix + string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + Random.Next(10))));
    }

    public static readonly string?[] ExplicitZones =
        [null, null, null, null, null, "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns", "Pacific/Chatham", "Mars/Base"];

    public static readonly string[] Statuses = [.. LeadStatuses.All];

    public Random Random { get; } = new(seed);

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("LEADGEN_PROPERTY_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 20261125;

    public DateTimeOffset NextInstant() =>
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(Random.Next(0, 365 * 24 * 60));

    public DialRules NextRules()
    {
        var start = new TimeOnly(Random.Next(6, 12), Random.Next(0, 4) * 15);
        var end = new TimeOnly(Random.Next(17, 24), Random.Next(0, 4) * 15);
        return new DialRules
        {
            ConsentRequired = Random.NextDouble() < 0.6,
            MaxAttempts = Random.Next(1, 5),
            RetrySpacing = TimeSpan.FromMinutes(Random.Next(1, 600)),
            WindowStart = start,
            WindowEnd = end,
            DefaultTimeZone = Random.NextDouble() < 0.3 ? "America/Chicago" : null,
        };
    }

    public (DialCandidate Lead, bool OnDnc) NextLead(Guid campaignId, DateTimeOffset around, string? phone = null)
    {
        phone ??= NextPhone();
        var onDnc = Random.NextDouble() < 0.15;
        var lead = new DialCandidate
        {
            LeadId = Guid.NewGuid(),
            CampaignId = campaignId,
            Phone = phone,
            TimeZone = ExplicitZones[Random.Next(ExplicitZones.Length)],
            Status = Random.NextDouble() < 0.7 ? (Random.NextDouble() < 0.7 ? LeadStatuses.New : LeadStatuses.Callback) : Statuses[Random.Next(Statuses.Length)],
            ConsentGivenAt = Random.NextDouble() < 0.6 ? around.AddDays(-Random.Next(1, 400)) : null,
            Attempts = Random.Next(0, 5),
            LastAttemptAt = Random.NextDouble() < 0.5 ? around.AddMinutes(-Random.Next(0, 900)) : null,
            NextAttemptAt = Random.NextDouble() < 0.2 ? around.AddMinutes(Random.Next(-600, 600)) : null,
            OnDoNotCallList = onDnc,
        };
        return (lead, onDnc);
    }

    /// <summary>Fails with the first rule an eligible lead breaks.</summary>
    public static void AssertMayBeCalled(DialCandidate lead, bool onDnc, DialRules rules, DateTimeOffset now)
    {
        var who = $"lead {lead.LeadId} ({lead.Phone}, zone {lead.TimeZone ?? "-"}) at {now:O}";
        Assert.False(onDnc, $"{who} is on the do-not-call list");
        Assert.True(lead.Status is LeadStatuses.New or LeadStatuses.Callback, $"{who} has status {lead.Status}");
        Assert.True(!rules.ConsentRequired || (lead.ConsentGivenAt is { } consent && consent <= now), $"{who} has no consent");
        Assert.True(lead.Attempts < rules.MaxAttempts, $"{who} used {lead.Attempts} of {rules.MaxAttempts} attempts");
        Assert.True(lead.LastAttemptAt is null || now >= lead.LastAttemptAt + rules.RetrySpacing, $"{who} was tried too recently");
        Assert.True(lead.NextAttemptAt is null || now >= lead.NextAttemptAt, $"{who} is not due yet");

        Assert.NotEqual("Mars/Base", lead.TimeZone);
        string[] zones = lead.TimeZone is { } explicitZone
            ? [explicitZone]
            : ZonesOf(lead.Phone!) is { Length: > 0 } fromNumber ? fromNumber
            : rules.DefaultTimeZone is { } fallback ? [fallback] : [];
        Assert.True(zones.Length > 0, $"{who} has no known time zone");
        var earliest = rules.WindowStart > new TimeOnly(8, 0) ? rules.WindowStart : new TimeOnly(8, 0);
        var latest = rules.WindowEnd < new TimeOnly(21, 0) ? rules.WindowEnd : new TimeOnly(21, 0);
        foreach (var zone in zones)
        {
            var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
            Assert.True(local >= earliest && local < latest, $"{who} is at {local} local time in {zone}, outside {earliest}-{latest}");
        }
    }
}
