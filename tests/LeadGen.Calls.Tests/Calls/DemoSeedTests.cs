using LeadGen.Core.Campaigns;
using LeadGen.Core.Telephony.Simulator;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>The Development demo seed: once per database, every lead a persona, spread over the world's time zones.</summary>
[Collection(ServersCollection.Name)]
public sealed class DemoSeedTests(SharedServers servers)
{
    [Fact]
    public async Task A_Development_start_seeds_the_demo_campaign_once_and_a_second_start_changes_nothing()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, null, new Dictionary<string, string?> { ["Demo:Seed"] = "true", ["Demo:Leads"] = "60" });
        var seeder = host.Services.GetRequiredService<DemoSeeder>();

        var again = await seeder.SeedAsync(60, CancellationToken.None);
        var concurrent = await Task.WhenAll(seeder.SeedAsync(60, CancellationToken.None), seeder.SeedAsync(60, CancellationToken.None));

        Assert.Null(again);
        Assert.All(concurrent, Assert.Null);
        var campaign = Assert.Single(await host.Campaigns.ListAsync(null, null, 10, CancellationToken.None));
        Assert.Equal(DemoCampaign.Name, campaign.Name);
        Assert.Equal(CampaignStatuses.Draft, campaign.Status);
        Assert.Equal(VoiceModes.ConversationRelay, campaign.Settings.VoiceMode);
        Assert.Equal(60, await host.CountAsync("SELECT count(*) FROM leads WHERE campaign_id = @id AND status = 'new'", ("id", campaign.Id)));
        Assert.Equal(DemoSeeder.TimeZones.Length, await host.CountAsync("SELECT count(DISTINCT time_zone) FROM leads"));
        var phones = await host.CountAsync("SELECT count(DISTINCT phone) FROM leads WHERE phone LIKE '+1212555%'");
        Assert.Equal(60, phones);
        var personas = Enumerable.Range(0, 60).Select(i => PersonaCatalog.Default.ForPhone($"+1212555{i:D4}").Id).Distinct().Count();
        Assert.True(personas >= 10, $"60 demo leads cover only {personas} personas");
    }
}
