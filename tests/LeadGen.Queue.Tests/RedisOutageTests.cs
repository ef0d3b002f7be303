using LeadGen.Core.Queue;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LeadGen.Queue.Tests;

[Collection(ServersCollection.Name)]
public sealed class RedisOutageTests(SharedServers servers)
{
    [Fact]
    public async Task Jobs_enqueued_while_Redis_is_down_wait_in_the_outbox_and_are_all_delivered_once_after_it_returns()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("outage");
        await QueueTestHost.CreateProbeTableAsync(database);
        // Its own Redis: stopping the shared one would disturb other tests.
        await using var redis = await LocalRedis.StartAsync();
        await using var host = await QueueTestHost.CreateAsync(database, redis.ConnectionString + ",connectTimeout=500,syncTimeout=1000,asyncTimeout=1000", QueueTestHost.NewJobType());
        await host.EnqueueAsync("before the outage");
        await Eventually.HoldsAsync(async () => await host.EffectCountAsync() == 1, "the queue works before the outage");

        await redis.StopAsync();
        var enqueued = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            enqueued.Add(await host.EnqueueAsync($"during outage {i}"));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the relay keeps trying meanwhile
        Assert.Equal(50, await host.OutboxCountAsync());
        Assert.Equal(1, await host.EffectCountAsync());
        var sampler = host.Services.GetRequiredService<QueueMetricsSampler>();
        using var backlog = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), QueueTelemetry.Name, "leadgen.queue.outbox.backlog");
        await sampler.SampleAsync(CancellationToken.None);
        backlog.RecordObservableInstruments();
        Assert.Equal(50, backlog.LastMeasurement?.Value);

        await redis.RestartAsync();

        await Eventually.HoldsAsync(async () => await host.EffectCountAsync() == 51, "every job is processed after Redis returns", TimeSpan.FromSeconds(40));
        Assert.Equal(0, await host.OutboxCountAsync());
        Assert.Equal(51, await host.ScalarAsync("SELECT count(DISTINCT job_id) FROM probe_effects"));
        Assert.Equal(50, await host.ScalarAsync($"SELECT count(*) FROM probe_effects WHERE job_id = ANY(ARRAY['{string.Join("','", enqueued)}']::uuid[])"));
    }
}
