using System.Globalization;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Queue.Tests;

/// <summary>
/// A Worker-like host for one test: the real data stores registration, the real queue (relay, consumers, sampler) and
/// the probe handler for one job type. Each instance has its own Postgres pool and Redis connection, like a process.
/// </summary>
public sealed class QueueTestHost : IAsyncDisposable
{
    private QueueTestHost(IHost host, string jobType, JobProbe probe)
    {
        Host = host;
        JobType = jobType;
        Probe = probe;
    }

    public IHost Host { get; }

    public string JobType { get; }

    public JobProbe Probe { get; }

    public IServiceProvider Services => Host.Services;

    public NpgsqlDataSource DataSource => Services.GetRequiredService<NpgsqlDataSource>();

    public IDatabase Redis => Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    /// <summary>Short intervals so tests see retries, relays and polls within milliseconds.</summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Queue:VisibilityTimeout"] = "00:00:30",
        ["Queue:BaseBackoff"] = "00:00:00.050",
        ["Queue:MaxBackoff"] = "00:00:00.200",
        ["Queue:ConsumerPollInterval"] = "00:00:00.100",
        ["Queue:RelayPollInterval"] = "00:00:00.200",
        ["Queue:RetryPollInterval"] = "00:00:00.050",
        ["Queue:MetricsSampleInterval"] = "00:01:00",
    };

    public static string NewJobType() => "test-" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<QueueTestHost> CreateAsync(
        string databaseConnectionString,
        string redisConnectionString,
        string jobType,
        IDictionary<string, string?>? settings = null,
        bool start = true,
        JobProbe? probe = null)
    {
        probe ??= new JobProbe();
        var host = await HeadlessHost.CreateAsync(databaseConnectionString, redisConnectionString, Defaults, settings, start, builder =>
        {
            builder.AddLeadGenDataStores();
            builder.AddLeadGenJobProcessing();
            builder.Services.AddSingleton(probe);
            builder.Services.AddJobHandler<ProbeHandler>(jobType);
        });
        return new QueueTestHost(host, jobType, probe);
    }

    public static async Task CreateProbeTableAsync(string databaseConnectionString)
    {
        await using var connection = new NpgsqlConnection(databaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(JobProbe.CreateTableSql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Enqueues one probe job in its own committed transaction.</summary>
    public async Task<Guid> EnqueueAsync(string key)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await Services.GetRequiredService<IJobOutbox>().EnqueueAsync(transaction, JobType, new ProbePayload(key), CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public Task<long> EffectCountAsync() => ScalarAsync("SELECT count(*) FROM probe_effects");

    public Task<long> OutboxCountAsync() => ScalarAsync("SELECT count(*) FROM job_outbox");

    public async Task<long> PendingCountAsync()
    {
        var pending = await Redis.StreamPendingAsync(QueueKeys.Stream(JobType), QueueKeys.ConsumerGroup);
        return pending.PendingMessageCount;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        finally
        {
            Host.Dispose();
        }
    }
}
