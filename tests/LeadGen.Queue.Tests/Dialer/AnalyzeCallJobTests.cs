using System.Collections.Concurrent;
using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Queue;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadGen.Queue.Tests.Dialer;

[Collection(ServersCollection.Name)]
public sealed class AnalyzeCallJobTests(SharedServers servers)
{
    [Fact]
    public async Task An_analyze_call_job_enqueued_with_the_calls_end_runs_the_agents_analyzer_once()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("analyze");
        var analyzer = new CountingAnalyzer();
        await using var redis = await LocalRedis.StartAsync(); // the analyze-call stream name is fixed: keep it to this test
        await using var worker = await WorkerTestHost.CreateAsync(database, redis.ConnectionString, services: services => services.AddSingleton<ICallAnalyzer>(analyzer));
        var callId = Guid.NewGuid();

        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await worker.Services.GetRequiredService<IJobOutbox>().EnqueueAsync(transaction, JobTypes.AnalyzeCall, new AnalyzeCallJob(callId), CancellationToken.None);
            await transaction.CommitAsync();
        }

        await Eventually.HoldsAsync(async () => await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'analyze-call'") == 1, "the job is processed");
        Assert.Equal([callId], analyzer.Calls);
    }

    [Fact]
    public async Task Without_an_analyzer_analyze_call_jobs_wait_in_their_stream_instead_of_failing()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("noanalyzer");
        await using var server = await LocalRedis.StartAsync();
        // A Worker without the agent (e.g. one deployed without Gemini access) has no analyzer.
        await using var worker = await WorkerTestHost.CreateAsync(database, server.ConnectionString, services: services => services.RemoveAll<ICallAnalyzer>());
        var stream = QueueKeys.Stream(JobTypes.AnalyzeCall);
        var redis = worker.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        var before = await redis.StreamLengthAsync(stream);

        await using (var connection = await worker.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await worker.Services.GetRequiredService<IJobOutbox>().EnqueueAsync(transaction, JobTypes.AnalyzeCall, new AnalyzeCallJob(Guid.NewGuid()), CancellationToken.None);
            await transaction.CommitAsync();
        }

        await Eventually.HoldsAsync(async () => await worker.ScalarAsync("SELECT count(*) FROM job_outbox") == 0, "the job is relayed");
        await Task.Delay(500);
        Assert.Equal(before + 1, await redis.StreamLengthAsync(stream));
        Assert.Equal(0, await worker.ScalarAsync("SELECT count(*) FROM processed_jobs WHERE job_type = 'analyze-call'"));
        Assert.Equal(0, await redis.StreamLengthAsync(QueueKeys.DeadLetters(JobTypes.AnalyzeCall)));
    }

    private sealed class CountingAnalyzer : ICallAnalyzer
    {
        private readonly ConcurrentQueue<Guid> _calls = new();

        public IReadOnlyCollection<Guid> Calls => _calls;

        public Task AnalyzeAsync(Guid callId, CancellationToken cancellationToken)
        {
            _calls.Enqueue(callId);
            return Task.CompletedTask;
        }
    }
}
