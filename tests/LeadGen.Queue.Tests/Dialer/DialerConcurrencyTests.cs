using System.Text.Json;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Queue.Tests.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Queue.Tests.Dialer;

/// <summary>
/// Two dialer runs of one campaign at the same time (two Workers, or a tick and a redelivered job): the second waits
/// for the first's campaign lock and must then see the calls the first queued. Found by the fault run (issue 18), where
/// a campaign of 20 slots had 38 live calls.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class DialerConcurrencyTests(SharedServers servers)
{
    [Fact]
    public async Task A_dialer_run_that_waited_for_another_runs_lock_counts_the_calls_it_queued_and_keeps_the_slot_limit()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("dialer_race");
        var campaign = Guid.NewGuid();
        var zone = WorkerTestHost.ZoneWithLocalHour(10, 18);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await DialerData.InsertCampaignAsync(connection, campaign, new DialRules
            {
                ConsentRequired = false,
                MaxAttempts = 3,
                RetrySpacing = TimeSpan.FromMinutes(60),
                WindowStart = new TimeOnly(8, 0),
                WindowEnd = new TimeOnly(21, 0),
            }, "running", maxConcurrentCalls: 3);
            for (var i = 0; i < 10; i++)
            {
                await DialerData.InsertLeadAsync(connection, new DialCandidate
                {
                    LeadId = Guid.NewGuid(),
                    CampaignId = campaign,
                    Phone = $"+121273660{i:00}",
                    TimeZone = zone,
                    Status = "new",
                });
            }
        }

        await using var worker = await WorkerTestHost.CreateAsync(database, servers.Redis.ConnectionString, start: false);
        await using var first = await worker.DataSource.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await RunDialerAsync(worker, campaign, firstTransaction);

        // The second run blocks on the campaign lock the first still holds; it reads on once the first commits.
        var second = Task.Run(async () =>
        {
            await using var connection = await worker.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await RunDialerAsync(worker, campaign, transaction);
            await transaction.CommitAsync();
        });
        await Eventually.HoldsAsync(
            async () => await worker.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0, "the second run waits for the campaign lock");
        await firstTransaction.CommitAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, await worker.ScalarAsync($"SELECT count(*) FROM calls WHERE campaign_id = '{campaign}'"));
        Assert.Equal(3, await worker.ScalarAsync($"SELECT count(*) FROM leads WHERE campaign_id = '{campaign}' AND status = 'queued'"));
    }

    private static async Task RunDialerAsync(WorkerTestHost worker, Guid campaign, NpgsqlTransaction transaction)
    {
        var job = new JobEnvelope(Guid.NewGuid(), JobTypes.Dialer, JsonSerializer.Serialize(new DialerJob(campaign), JsonSerializerOptions.Web), null, null, DateTimeOffset.UtcNow, 0);
        await using var scope = worker.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(JobTypes.Dialer).HandleAsync(new JobContext(job, 1, transaction), CancellationToken.None);
    }
}
