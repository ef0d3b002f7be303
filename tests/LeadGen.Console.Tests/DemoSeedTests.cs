using LeadGen.Core.Campaigns;
using LeadGen.Simulator;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Console.Tests;

/// <summary>
/// The Development demo seed, in the host that serves the API (the console): once per database, every lead a persona,
/// spread over the world's time zones. Its own database, so the browser tests' data stays as they expect.
/// </summary>
public sealed class DemoSeedTests : IAsyncLifetime
{
    private readonly SharedServers _servers = new();

    public ValueTask InitializeAsync() => _servers.InitializeAsync();

    public ValueTask DisposeAsync() => _servers.DisposeAsync();

    [Fact]
    public async Task A_Development_start_seeds_the_demo_campaign_once_and_a_second_start_changes_nothing()
    {
        await using var app = await KestrelApp.StartAsync<Program>(_servers, "demo_seed", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = "console-tests-key",
            ["Demo:Seed"] = "true",
            ["Demo:Leads"] = "60",
        });
        var seeder = app.Services.GetRequiredService<DemoSeeder>();

        var again = await seeder.SeedAsync(60, CancellationToken.None);
        var concurrent = await Task.WhenAll(seeder.SeedAsync(60, CancellationToken.None), seeder.SeedAsync(60, CancellationToken.None));

        Assert.Null(again);
        Assert.All(concurrent, Assert.Null);
        var campaign = Assert.Single(await app.Services.GetRequiredService<CampaignStore>().ListAsync(null, null, 10, CancellationToken.None));
        Assert.Equal(DemoCampaign.Name, campaign.Name);
        Assert.Equal(CampaignStatuses.Draft, campaign.Status);
        Assert.Equal(VoiceModes.ConversationRelay, campaign.Settings.VoiceMode);
        var data = app.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(60, await CountAsync(data, "SELECT count(*) FROM leads WHERE campaign_id = @id AND status = 'new'", campaign.Id));
        Assert.Equal(DemoSeeder.TimeZones.Length, await CountAsync(data, "SELECT count(DISTINCT time_zone) FROM leads"));
        Assert.Equal(60, await CountAsync(data, "SELECT count(DISTINCT phone) FROM leads WHERE phone LIKE '+1212555%'"));
        var personas = Enumerable.Range(0, 60).Select(i => PersonaCatalog.Default.ForPhone($"+1212555{i:D4}").Id).Distinct().Count();
        Assert.True(personas >= 10, $"60 demo leads cover only {personas} personas");
    }

    private static async Task<long> CountAsync(NpgsqlDataSource data, string sql, Guid? id = null)
    {
        await using var command = data.CreateCommand(sql);
        if (id is { } value)
        {
            command.Parameters.AddWithValue("id", value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
