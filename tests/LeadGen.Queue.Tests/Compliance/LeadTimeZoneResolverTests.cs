using LeadGen.Core.Compliance;

namespace LeadGen.Queue.Tests.Compliance;

public sealed class LeadTimeZoneResolverTests
{
    private readonly LeadTimeZoneResolver _resolver = new();

    [Theory]
    [InlineData("+12127365000", "America/New_York")]
    [InlineData("+14155550123", "America/Los_Angeles")]
    [InlineData("+442079460000", "Europe/London")]
    [InlineData("+81312345678", "Asia/Tokyo")]
    public void A_number_in_a_single_zone_area_resolves_to_that_zone(string phone, string zone)
    {
        var resolution = _resolver.Resolve(null, phone, null);

        Assert.Equal(TimeZoneSources.PhoneNumber, resolution.Source);
        var candidate = Assert.Single(resolution.Candidates);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(zone).BaseUtcOffset, candidate.BaseUtcOffset);
    }

    [Fact]
    public void An_explicit_zone_wins_over_the_number()
    {
        var resolution = _resolver.Resolve("Europe/Berlin", "+12127365000", null);

        Assert.Equal(TimeZoneSources.Lead, resolution.Source);
        Assert.Equal("Europe/Berlin", Assert.Single(resolution.Candidates).Id);
    }

    [Fact]
    public void An_explicit_zone_that_does_not_exist_is_a_problem_not_a_guess()
    {
        var resolution = _resolver.Resolve("Mars/Olympus_Mons", "+12127365000", "America/Chicago");

        Assert.Empty(resolution.Candidates);
        Assert.Contains("Mars/Olympus_Mons", resolution.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_toll_free_number_maps_to_several_zones()
    {
        var resolution = _resolver.Resolve(null, "+18005550199", null);

        Assert.True(resolution.Candidates.Count > 1, $"got {resolution.Candidates.Count} zone(s)");
    }

    [Fact]
    public void A_number_without_any_zone_falls_back_to_the_campaign_default_or_is_unknown()
    {
        var unknown = _resolver.Resolve(null, "+80012345678", null);
        var fallback = _resolver.Resolve(null, "+80012345678", "America/Chicago");

        Assert.Empty(unknown.Candidates);
        Assert.NotNull(unknown.Problem);
        Assert.Equal(TimeZoneSources.CampaignDefault, fallback.Source);
        Assert.Equal("America/Chicago", Assert.Single(fallback.Candidates).Id);
    }
}
