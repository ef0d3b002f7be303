using LeadGen.Core.Campaigns;
using LeadGen.Simulator;
using Npgsql;

namespace LeadGen.Faults;

/// <summary>
/// The campaign the fault run dials: the demo campaign's settings (ConversationRelay, personas chosen by number) with
/// retries a minute apart, and leads spread over the zones that are inside the legal window now. A few "control" leads
/// sit in zones outside 08:00–21:00 right now: any call to them is an anomaly.
/// </summary>
public sealed record FaultCampaign(Guid Id, int MaxAttempts, int MaxConcurrentCalls, IReadOnlyList<string> CallableZones, IReadOnlyList<string> ClosedZones, int ControlLeads)
{
    public static async Task<FaultCampaign> CreateAsync(string database, FaultRunOptions options, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        // Margins both sides: the whole run (at most ~15 min) stays inside, or outside, the window.
        var callable = DemoSeeder.TimeZones.Where(zone => LocalTime(zone, now) is var t && t >= new TimeOnly(8, 20) && t < new TimeOnly(20, 30)).ToList();
        var closed = DemoSeeder.TimeZones.Where(zone => LocalTime(zone, now) is var t && (t >= new TimeOnly(21, 30) || t < new TimeOnly(7, 30))).ToList();
        if (callable.Count == 0 || closed.Count == 0)
        {
            throw new InvalidOperationException("No time zone is inside (or none outside) the calling window right now; the demo's zone list should make that impossible.");
        }

        var settings = DemoCampaign.Settings with
        {
            Description = "Fault run (issue 18): simulated leads while processes are killed, restarted and frozen.",
            MaxConcurrentCalls = options.MaxConcurrentCalls,
            MaxAttempts = 2,
            RetrySpacingMinutes = 1,
        };

        var dataSource = NpgsqlDataSource.Create(database);
        await using var _ = dataSource;
        var campaigns = new CampaignStore(dataSource, TimeProvider.System);
        var leads = new Core.Leads.LeadStore(dataSource, TimeProvider.System);
        var controls = Math.Max(2, options.Leads / 20);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var campaign = await campaigns.CreateAsync($"Fault run {options.Seed}", settings, cancellationToken, transaction);
        var number = 0;
        for (var i = 0; i < options.Leads; i++)
        {
            var phone = $"+1212555{number++:D4}";
            if (phone == settings.TransferNumber)
            {
                phone = $"+1212555{number++:D4}";
            }

            var zone = i < controls ? closed[i % closed.Count] : callable[i % callable.Count];
            await leads.CreateAsync(campaign.Id, new Core.Leads.NewLead
            {
                Name = $"Fault Lead {i + 1:D4}",
                Phone = phone, // 555 numbers: fictional
                TimeZone = zone,
                Source = "fault-run",
            }, cancellationToken, transaction);
        }

        await campaigns.ChangeStatusAsync(campaign.Id, CampaignTransitions.StartFrom, CampaignStatuses.Running, cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        return new FaultCampaign(campaign.Id, settings.MaxAttempts, options.MaxConcurrentCalls, callable, closed, controls);
    }

    /// <summary>Pauses the campaign (the dialer stops starting calls; calls in flight go on).</summary>
    public async Task PauseAsync(string database, CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(database + ";Pooling=false");
        await using var _ = dataSource;
        await new CampaignStore(dataSource, TimeProvider.System).ChangeStatusAsync(Id, CampaignTransitions.PauseFrom, CampaignStatuses.Paused, cancellationToken);
    }

    public static TimeOnly LocalTime(string zone, DateTimeOffset at) =>
        TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);
}
