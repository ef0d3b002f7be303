using LeadGen.Core.Queue;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Queue.Tests;

[Collection(ServersCollection.Name)]
public sealed class OutboxTests(SharedServers servers)
{
    [Fact]
    public async Task A_rolled_back_transaction_enqueues_no_job_and_a_committed_one_is_relayed_once()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("outbox");
        await using var host = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, QueueTestHost.NewJobType(), start: false);
        var outbox = host.Services.GetRequiredService<IJobOutbox>();

        await using (var connection = await host.DataSource.OpenConnectionAsync())
        {
            await using var rolledBack = await connection.BeginTransactionAsync();
            await outbox.EnqueueAsync(rolledBack, host.JobType, new ProbePayload("rolled back"), CancellationToken.None);
            await rolledBack.RollbackAsync();
        }

        var committedId = await host.EnqueueAsync("committed");
        var relay = host.Services.GetRequiredService<OutboxRelay>();

        Assert.Equal(1, await relay.RelayBatchAsync(CancellationToken.None));
        Assert.Equal(0, await relay.RelayBatchAsync(CancellationToken.None));
        Assert.Equal(0, await host.OutboxCountAsync());
        var entries = await host.Redis.StreamRangeAsync(QueueKeys.Stream(host.JobType));
        var entry = Assert.Single(entries);
        Assert.Equal(committedId.ToString("D"), entry["id"].ToString());
        Assert.Contains("committed", entry["payload"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_rejects_a_finished_transaction_and_an_invalid_job_type()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("outbox");
        await using var host = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, QueueTestHost.NewJobType(), start: false);
        var outbox = host.Services.GetRequiredService<IJobOutbox>();
        await using var connection = await host.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync(transaction, "Bad Type!", new ProbePayload("x"), CancellationToken.None));
        await transaction.CommitAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => outbox.EnqueueAsync(transaction, host.JobType, new ProbePayload("x"), CancellationToken.None));
    }

    [Fact]
    public async Task Several_relays_racing_on_one_outbox_deliver_every_job_exactly_once()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("outbox");
        var jobType = QueueTestHost.NewJobType();
        var settings = new Dictionary<string, string?> { ["Queue:RelayBatchSize"] = "100" };
        await using var first = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType, settings, start: false);
        await using var second = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType, settings, start: false);
        IReadOnlyList<Guid> ids;
        await using (var connection = await first.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            ids = await first.Services.GetRequiredService<IJobOutbox>().EnqueueManyAsync(
                transaction, jobType, Enumerable.Range(0, 2_000).Select(i => new ProbePayload($"bulk {i}")).ToList(), CancellationToken.None);
            await transaction.CommitAsync();
        }

        async Task DrainAsync(QueueTestHost host)
        {
            var relay = host.Services.GetRequiredService<OutboxRelay>();
            while (await relay.RelayBatchAsync(CancellationToken.None) > 0)
            {
            }
        }

        await Task.WhenAll(DrainAsync(first), DrainAsync(first), DrainAsync(second), DrainAsync(second));

        var delivered = (await first.Redis.StreamRangeAsync(QueueKeys.Stream(jobType))).Select(entry => Guid.Parse(entry["id"].ToString())).ToList();
        Assert.Equal(2_000, delivered.Count);
        Assert.Equal(ids.Order(), delivered.Order());
        Assert.Equal(0, await first.OutboxCountAsync());
    }
}
