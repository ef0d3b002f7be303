using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Simulator;

/// <summary>
/// Development only (and <c>Demo:Seed</c> not false): at startup, creates the demo campaign (<see cref="DemoCampaign"/>,
/// draft, conversation_relay) with <c>Demo:Leads</c> (300) fictional leads, once per database — skipped when a campaign
/// of that name exists, under an advisory lock so two instances never both seed. Each lead's number maps to a persona
/// (<see cref="PersonaCatalog.ForPhone"/>), and leads are spread over time zones around the world, so that at any hour
/// some of them are inside the legal calling window when the campaign is started.
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, CampaignStore campaigns, LeadStore leads, IConfiguration configuration, ILogger<DemoSeeder> logger) : IHostedService
{
    /// <summary>One zone per UTC offset from -10 to +12 (whole hours).</summary>
    public static readonly string[] TimeZones =
    [
        "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
        "America/Halifax", "America/Sao_Paulo", "Atlantic/South_Georgia", "Atlantic/Azores", "Europe/London", "Europe/Paris",
        "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore",
        "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland",
    ];

    public Task StartAsync(CancellationToken cancellationToken) => SeedAsync(configuration.GetValue("Demo:Leads", 300), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <returns>The demo campaign's id when it was created now; null when it already existed.</returns>
    public async Task<Guid?> SeedAsync(int leadCount, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('leadgen:demo-seed'))", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM campaigns WHERE name = @name)", connection, transaction))
        {
            exists.Parameters.AddWithValue("name", DemoCampaign.Name);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                logger.LogInformation("Demo campaign already present; not seeding");
                return null;
            }
        }

        var campaign = await campaigns.CreateAsync(DemoCampaign.Name, DemoCampaign.Settings, cancellationToken, transaction);
        for (var i = 0; i < leadCount; i++)
        {
            await leads.CreateAsync(campaign.Id, new NewLead
            {
                Name = $"Demo Lead {i + 1:D3}",
                Phone = $"+1212555{i:D4}", // 555 numbers: fictional
                TimeZone = TimeZones[i % TimeZones.Length],
                Source = "demo-seed",
            }, cancellationToken, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Seeded the demo campaign {CampaignId} with {Leads} simulated leads (personas by phone number); start it with POST /api/campaigns/{CampaignId}/start",
            campaign.Id, leadCount, campaign.Id);
        return campaign.Id;
    }
}

public static class DemoSeedHostingExtensions
{
    /// <summary>Seeds the demo campaign at startup in Development (unless <c>Demo:Seed=false</c>).</summary>
    public static IHostApplicationBuilder AddLeadGenDemoSeed(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue("Demo:Seed", true))
        {
            builder.Services.AddSingleton<DemoSeeder>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoSeeder>());
        }

        return builder;
    }
}
