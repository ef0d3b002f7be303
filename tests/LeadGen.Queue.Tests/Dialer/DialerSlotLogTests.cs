using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Queue.Tests.Dialer;

[Collection(ServersCollection.Name)]
public sealed class DialerSlotLogTests(SharedServers servers)
{
    [Fact]
    public async Task A_campaign_skipped_for_lack_of_slots_is_logged_once_per_minute_not_per_tick()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("slotlog");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var logs = new FakeLoggerProvider();
        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false, services: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddLogging(logging => logging.AddProvider(logs));
        });
        var full = Guid.NewGuid();
        var other = Guid.NewGuid();
        var rules = new DialRules { MaxAttempts = 3, RetrySpacing = TimeSpan.FromHours(1), WindowStart = new TimeOnly(8, 0), WindowEnd = new TimeOnly(21, 0) };
        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        {
            await DialerData.InsertCampaignAsync(connection, full, rules, "running", maxConcurrentCalls: 1);
            await DialerData.InsertCampaignAsync(connection, other, rules, "running", maxConcurrentCalls: 1);
        }

        foreach (var campaign in new[] { full, other })
        {
            await worker.ScalarAsync($"""
                WITH c AS (INSERT INTO calls (id, campaign_id, direction, provider, status) VALUES (gen_random_uuid(), '{campaign}', 'outbound', 'recording', 'ringing') RETURNING 1)
                SELECT count(*) FROM c
                """);
        }

        int Logged(Guid campaign) => logs.Collector.GetSnapshot().Count(record =>
            record.Level == LogLevel.Information && record.Message.Contains("no free call slot", StringComparison.Ordinal) && record.Message.Contains(campaign.ToString(), StringComparison.Ordinal));

        for (var tick = 0; tick < 4; tick++)
        {
            await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(full));
            clock.Advance(TimeSpan.FromSeconds(15));
        }

        Assert.Equal(1, Logged(full)); // 0 s, 15 s, 30 s, 45 s: one line
        await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(full)); // 60 s
        Assert.Equal(2, Logged(full));
        await worker.RunJobAsync(JobTypes.Dialer, new DialerJob(other));
        Assert.Equal(1, Logged(other));
        Assert.Contains(logs.Collector.GetSnapshot(), record => record.Message.Contains("1 live of 1", StringComparison.Ordinal));
    }
}
