using System.Collections.Concurrent;
using System.Diagnostics;
using LeadGen.Core.Queue;
using LeadGen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Queue.Tests;

[Collection(ServersCollection.Name)]
public sealed class ConsumerTests(SharedServers servers)
{
    [Fact]
    public async Task A_job_runs_once_is_acknowledged_and_deleted_and_joins_the_enqueuing_trace()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("consume");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        var spans = new ConcurrentBag<Activity>();
        using var listener = ListenTo(spans, QueueTelemetry.Name, "LeadGen.Tests.Request");
        await using var host = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType);
        using var processed = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), QueueTelemetry.Name, "leadgen.queue.jobs.processed");

        using var requestSource = new ActivitySource("LeadGen.Tests.Request");
        Guid jobId;
        ActivityTraceId requestTrace;
        using (var request = requestSource.StartActivity("POST /api/campaigns/start", ActivityKind.Server))
        {
            requestTrace = request!.TraceId;
            jobId = await host.EnqueueAsync("hello");
        }

        await Eventually.HoldsAsync(async () => await host.EffectCountAsync() == 1, "the job's effect is committed");
        await Eventually.HoldsAsync(async () => await host.PendingCountAsync() == 0, "the job is acknowledged");

        Assert.Equal(1, host.Probe.Runs);
        Assert.Equal(0, await host.Redis.StreamLengthAsync(QueueKeys.Stream(jobType)));
        Assert.Equal(1, await host.ScalarAsync($"SELECT count(*) FROM processed_jobs WHERE job_id = '{jobId}'"));
        var send = Assert.Single(spans, span => span.OperationName == $"send {jobType}");
        await Eventually.HoldsAsync(() => Task.FromResult(spans.Any(span => span.OperationName == $"process {jobType}")), "the process span ends");
        var process = Assert.Single(spans, span => span.OperationName == $"process {jobType}");
        Assert.Equal(requestTrace, send.TraceId);
        Assert.Equal(requestTrace, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(jobId.ToString("D"), process.GetTagItem("messaging.message.id"));
        Assert.Equal(1, processed.GetMeasurementSnapshot().Where(m => Equals(m.Tags[QueueTelemetry.JobTypeTag], jobType)).Sum(m => m.Value));
    }

    [Fact]
    public async Task A_consumer_killed_mid_job_loses_the_job_to_another_instance_and_the_effect_happens_exactly_once()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("reclaim");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();

        // Instance A takes the job, writes its effect (uncommitted) and then hangs. Its visibility timeout is long, so it
        // sends no heartbeat within the test: from outside it looks like a dead process that never acknowledges.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probeA = new JobProbe
        {
            AfterEffect = async (_, token) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
        };
        var hostA = await QueueTestHost.CreateAsync(
            database + ";Application Name=consumer-a",
            servers.Redis.ConnectionString,
            jobType,
            new Dictionary<string, string?> { ["Queue:VisibilityTimeout"] = "01:00:00" },
            probe: probeA);
        await using var stopA = hostA;
        var jobId = await hostA.EnqueueAsync("once");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // "Kill" A: its database session dies (its transaction rolls back), it never acknowledges.
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'consumer-a'", admin);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        // Instance B, with a short visibility timeout, reclaims the idle pending entry and runs it.
        await using var hostB = await QueueTestHost.CreateAsync(
            database, servers.Redis.ConnectionString, jobType, new Dictionary<string, string?> { ["Queue:VisibilityTimeout"] = "00:00:01" });
        using var reclaimed = new MetricCollector<long>(hostB.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), QueueTelemetry.Name, "leadgen.queue.jobs.reclaimed");

        await Eventually.HoldsAsync(async () => await hostB.EffectCountAsync() == 1, "instance B commits the effect");
        await Eventually.HoldsAsync(async () => await hostB.PendingCountAsync() == 0, "instance B acknowledges the job");

        Assert.Equal(1, hostB.Probe.Runs);
        Assert.Equal(1, await hostB.ScalarAsync($"SELECT count(*) FROM probe_effects WHERE job_id = '{jobId}' AND attempt = 2"));
        Assert.True(reclaimed.GetMeasurementSnapshot().Sum(m => m.Value) >= 1);
        Assert.Equal(0, await hostB.Redis.StreamLengthAsync(QueueKeys.Stream(jobType)));
    }

    [Fact]
    public async Task A_job_whose_effects_committed_but_whose_consumer_died_before_the_ack_is_acknowledged_without_running_again()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("ackgap");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        await using var host = await QueueTestHost.CreateAsync(
            database, servers.Redis.ConnectionString, jobType, new Dictionary<string, string?> { ["Queue:VisibilityTimeout"] = "00:00:01" }, start: false);
        var jobId = await host.EnqueueAsync("committed before crash");
        await host.Services.GetRequiredService<OutboxRelay>().RelayBatchAsync(CancellationToken.None);

        // A dead consumer read the entry and committed marker + effect, then crashed before XACK (done by hand here).
        var streams = host.Services.GetRequiredService<RedisJobStreams>();
        await streams.EnsureConsumerGroupAsync(jobType);
        var read = await streams.ReadNewAsync(jobType, "crashed-consumer", 10);
        Assert.Single(read);
        await host.ScalarAsync($"WITH marker AS (INSERT INTO processed_jobs (job_id, job_type) VALUES ('{jobId}', '{jobType}') RETURNING 1), " +
                               $"effect AS (INSERT INTO probe_effects (job_id, key, attempt) VALUES ('{jobId}', 'committed before crash', 1) RETURNING 1) SELECT count(*) FROM marker");

        await host.Host.StartAsync();

        await Eventually.HoldsAsync(async () => await host.PendingCountAsync() == 0, "the reclaimed duplicate is acknowledged");
        Assert.Equal(0, host.Probe.Runs);
        Assert.Equal(1, await host.EffectCountAsync());
        Assert.Equal(0, await host.Redis.StreamLengthAsync(QueueKeys.Stream(jobType)));
    }

    [Fact]
    public async Task A_poison_job_is_retried_with_backoff_then_dead_lettered_with_its_reason_after_max_attempts()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("poison");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        var probe = new JobProbe { AfterEffect = (context, _) => throw new InvalidOperationException($"poison on attempt {context.Attempt}") };
        await using var host = await QueueTestHost.CreateAsync(
            database, servers.Redis.ConnectionString, jobType, new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "3" }, probe: probe);
        var meters = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var failed = new MetricCollector<long>(meters, QueueTelemetry.Name, "leadgen.queue.jobs.failed");
        using var retried = new MetricCollector<long>(meters, QueueTelemetry.Name, "leadgen.queue.jobs.retried");
        using var deadLettered = new MetricCollector<long>(meters, QueueTelemetry.Name, "leadgen.queue.jobs.dead_lettered");

        var jobId = await host.EnqueueAsync("poison");

        await Eventually.HoldsAsync(async () => await host.Redis.StreamLengthAsync(QueueKeys.DeadLetters(jobType)) == 1, "the job is dead-lettered");
        var dead = Assert.Single(await host.Redis.StreamRangeAsync(QueueKeys.DeadLetters(jobType)));
        Assert.Equal(jobId.ToString("D"), dead["id"].ToString());
        Assert.Equal("3", dead["attempts"].ToString());
        Assert.Equal("System.InvalidOperationException: poison on attempt 3", dead["reason"].ToString());
        Assert.Contains("poison", dead["payload"].ToString(), StringComparison.Ordinal);
        Assert.Equal(3, probe.Runs);
        Assert.Equal(0, await host.EffectCountAsync()); // every attempt rolled back
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM processed_jobs"));
        Assert.Equal(0, await host.Redis.StreamLengthAsync(QueueKeys.Stream(jobType)));
        Assert.Equal(0, await host.Redis.SortedSetLengthAsync(QueueKeys.Retries(jobType)));
        Assert.Equal(0, await host.PendingCountAsync());
        Assert.Equal(3, failed.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, retried.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, deadLettered.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Jobs_read_together_commit_in_one_transaction_and_a_failing_job_rolls_back_and_dead_letters_alone()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("batch");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        var transactionsOfGoodJobs = new ConcurrentBag<long>();
        var probe = new JobProbe
        {
            AfterEffect = async (context, token) =>
            {
                if (context.ReadPayload<ProbePayload>().Key.StartsWith("poison", StringComparison.Ordinal))
                {
                    // A failing SQL statement leaves the transaction aborted: only the savepoint rollback revives it.
                    await using var bad = new NpgsqlCommand("SELECT 1 / 0", context.Connection, context.Transaction);
                    await bad.ExecuteScalarAsync(token);
                }

                await using var txid = new NpgsqlCommand("SELECT txid_current()", context.Connection, context.Transaction);
                transactionsOfGoodJobs.Add(Convert.ToInt64(await txid.ExecuteScalarAsync(token), System.Globalization.CultureInfo.InvariantCulture));
            },
        };
        var settings = new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "2", ["Queue:Concurrency"] = "1", ["Queue:ProcessBatchSize"] = "32" };
        await using var host = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType, settings, start: false, probe: probe);
        var keys = Enumerable.Range(0, 20).Select(i => i is 5 or 13 ? $"poison-{i}" : $"good-{i}").ToList();
        foreach (var key in keys)
        {
            await host.EnqueueAsync(key);
        }

        await host.Host.StartAsync();

        await Eventually.HoldsAsync(async () => await host.Redis.StreamLengthAsync(QueueKeys.DeadLetters(jobType)) == 2, "both poison jobs are dead-lettered");
        await Eventually.HoldsAsync(async () => await host.PendingCountAsync() == 0, "every good job is acknowledged");
        Assert.Equal(18, await host.EffectCountAsync());
        Assert.Equal(18, await host.ScalarAsync("SELECT count(DISTINCT job_id) FROM probe_effects WHERE key LIKE 'good-%' AND attempt = 1"));
        Assert.Equal(18, await host.ScalarAsync("SELECT count(*) FROM processed_jobs")); // poison markers rolled back with them
        Assert.Equal(18 + (2 * 2), probe.Runs); // each good job once, each poison job MaxAttempts times
        Assert.Equal(18, transactionsOfGoodJobs.Count);
        Assert.True(transactionsOfGoodJobs.Distinct().Count() < 18, "jobs read together should share a transaction");
        var reasons = (await host.Redis.StreamRangeAsync(QueueKeys.DeadLetters(jobType))).Select(entry => entry["reason"].ToString()).ToList();
        Assert.All(reasons, reason => Assert.Contains("22012", reason, StringComparison.Ordinal)); // division_by_zero
        Assert.Equal(0, await host.Redis.StreamLengthAsync(QueueKeys.Stream(jobType)));
    }

    [Fact]
    public async Task A_payload_that_does_not_fit_is_dead_lettered_at_once_without_retries()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("badpayload");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        await using var host = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType);
        await using (var connection = await host.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await host.Services.GetRequiredService<IJobOutbox>().EnqueueAsync(transaction, jobType, new[] { 1, 2, 3 }, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await Eventually.HoldsAsync(async () => await host.Redis.StreamLengthAsync(QueueKeys.DeadLetters(jobType)) == 1, "the job is dead-lettered");
        var dead = Assert.Single(await host.Redis.StreamRangeAsync(QueueKeys.DeadLetters(jobType)));
        Assert.Equal("1", dead["attempts"].ToString());
        Assert.Contains(nameof(InvalidJobPayloadException), dead["reason"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graceful_shutdown_mid_job_rolls_back_leaves_it_pending_and_a_restarted_worker_finishes_it()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("shutdown");
        await QueueTestHost.CreateProbeTableAsync(database);
        var jobType = QueueTestHost.NewJobType();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new JobProbe
        {
            AfterEffect = async (_, token) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
            },
        };
        var settings = new Dictionary<string, string?> { ["Queue:VisibilityTimeout"] = "00:00:01", ["HostOptions:ShutdownTimeout"] = "00:00:00.500" };
        var first = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType, settings, probe: slow);
        await first.EnqueueAsync("interrupted");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await first.DisposeAsync(); // StopAsync: grace period over → the job is cancelled and rolled back

        Assert.Equal(0, await ScalarAsync(database, "SELECT count(*) FROM probe_effects"));
        Assert.Equal(0, await ScalarAsync(database, "SELECT count(*) FROM processed_jobs"));
        await using var second = await QueueTestHost.CreateAsync(database, servers.Redis.ConnectionString, jobType, settings);
        Assert.Equal(1, await second.PendingCountAsync());

        await Eventually.HoldsAsync(async () => await second.EffectCountAsync() == 1, "the restarted worker commits the effect");
        await Eventually.HoldsAsync(async () => await second.PendingCountAsync() == 0, "and acknowledges the job");
        Assert.Equal(1, second.Probe.Runs);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static ActivityListener ListenTo(ConcurrentBag<Activity> spans, params string[] sources)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
