using LeadGen.Core.Compliance;

namespace LeadGen.Queue.Tests.Compliance;

/// <summary>Randomised: the policy never admits a lead outside its window, on the DNC list or without required consent.</summary>
public sealed class CallEligibilityPropertyTests
{
    private readonly CallEligibilityPolicy _policy = new(new LeadTimeZoneResolver());

    [Fact]
    public void Over_random_leads_zones_and_clock_times_every_eligible_lead_satisfies_every_rule()
    {
        var world = new EligibilityWorld(EligibilityWorld.Seed);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 30_000; i++)
        {
            var now = world.NextInstant();
            var rules = world.NextRules();
            var (lead, onDnc) = world.NextLead(Guid.NewGuid(), now);

            var decision = _policy.Evaluate(lead, rules, now, CallEligibilityPolicy.SelectableStatuses);

            var key = decision.Reason?.ToString() ?? "Eligible";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            if (decision.IsEligible)
            {
                EligibilityWorld.AssertMayBeCalled(lead, onDnc, rules, now);
                Assert.Equal(lead.LeadId, decision.Eligible!.LeadId);
            }
        }

        // Not vacuous: plenty were eligible, and every reason to refuse occurred.
        Assert.True(outcomes.GetValueOrDefault("Eligible") > 300, string.Join(", ", outcomes));
        foreach (var reason in Enum.GetNames<IneligibilityReason>().Where(name => name != nameof(IneligibilityReason.NoPhone)))
        {
            Assert.True(outcomes.GetValueOrDefault(reason) > 0, $"{reason} never occurred: {string.Join(", ", outcomes)}");
        }
    }

    [Fact]
    public void A_lead_is_callable_exactly_between_08_00_and_21_00_local_time_when_the_campaign_allows_more()
    {
        var rules = new DialRules { ConsentRequired = false, WindowStart = new TimeOnly(6, 0), WindowEnd = new TimeOnly(23, 0) };
        var lead = new DialCandidate { LeadId = Guid.NewGuid(), CampaignId = Guid.NewGuid(), Phone = "+12127365000", Status = "new" };
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        DateTimeOffset At(int hour, int minute) => new(new DateTime(2026, 7, 1, hour, minute, 0), newYork.GetUtcOffset(new DateTime(2026, 7, 1, hour, minute, 0)));

        Assert.False(_policy.Evaluate(lead, rules, At(7, 59), CallEligibilityPolicy.SelectableStatuses).IsEligible);
        Assert.True(_policy.Evaluate(lead, rules, At(8, 0), CallEligibilityPolicy.SelectableStatuses).IsEligible);
        Assert.True(_policy.Evaluate(lead, rules, At(20, 59), CallEligibilityPolicy.SelectableStatuses).IsEligible);
        var late = _policy.Evaluate(lead, rules, At(21, 0), CallEligibilityPolicy.SelectableStatuses);
        Assert.Equal(IneligibilityReason.OutsideCallingWindow, late.Reason);
    }

    [Fact]
    public void A_number_whose_zones_disagree_on_the_hour_is_never_called_and_needs_an_operator()
    {
        var lead = new DialCandidate { LeadId = Guid.NewGuid(), CampaignId = Guid.NewGuid(), Phone = "+18002345678", Status = "new" };
        var rules = new DialRules { ConsentRequired = false, WindowStart = new TimeOnly(8, 0), WindowEnd = new TimeOnly(21, 0) };

        for (var hour = 0; hour < 24; hour++)
        {
            var decision = _policy.Evaluate(lead, rules, new DateTimeOffset(2026, 3, 2, hour, 30, 0, TimeSpan.Zero), CallEligibilityPolicy.SelectableStatuses);
            Assert.Equal(IneligibilityReason.AmbiguousTimeZone, decision.Reason);
            Assert.True(decision.NeedsOperator);
        }
    }
}
