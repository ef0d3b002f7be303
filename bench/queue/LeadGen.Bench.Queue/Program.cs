using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LeadGen.Bench.Queue;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using LeadGen.Testing;
using LeadGen.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;
using StackExchange.Redis;

var quickOption = new Option<bool>("--quick") { Description = "20,000 jobs instead of 100,000." };
var jobsOption = new Option<int?>("--jobs")
{
    Description = "Jobs to run through each path (default 100,000, or 20,000 with --quick).",
    CustomParser = result => ToolCommandLine.PositiveInt(result),
};
var tracedOption = new Option<bool>("--traced") { Description = "Queue spans and per-command Redis/Postgres client tracing on." };
var command = new RootCommand("Queue benchmark: jobs/s through our durable queue vs a raw XADD loop.") { quickOption, jobsOption, tracedOption };
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var jobs = parsed.GetValue(jobsOption) ?? (parsed.GetValue(quickOption) ? 20_000 : 100_000);
var traced = parsed.GetValue(tracedOption);
const int JobsPerTransaction = 100;
const int Producers = 4;
const string JobType = "bench-noop";

Console.WriteLine($"queue: starting Postgres and Redis (test settings: fsync=off, synchronous_commit=off; Redis appendfsync no); {jobs:N0} jobs");
await using var postgres = await LocalPostgres.StartAsync();
await using var redis = await LocalRedis.StartAsync();
var database = await postgres.CreateMigratedDatabaseAsync("bench");

// Baseline: a raw XADD loop, one awaited XADD at a time, same client library and Redis.
double baselinePerSecond;
double pipelinedPerSecond;
await using (var raw = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
{
    var db = raw.GetDatabase();
    var fields = new NameValueEntry[] { new("id", Guid.NewGuid().ToString()), new("type", JobType), new("payload", "{\"n\":0}") };
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < jobs; i++)
    {
        await db.StreamAddAsync("bench:raw", fields);
    }

    baselinePerSecond = jobs / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"queue: baseline raw XADD loop: {jobs:N0} in {watch.Elapsed.TotalSeconds:F2} s = {baselinePerSecond:N0}/s");

    // For context only (not the ratio): the same XADDs pipelined, 1,000 in flight.
    watch.Restart();
    for (var start = 0; start < jobs; start += 1_000)
    {
        await Task.WhenAll(Enumerable.Range(0, Math.Min(1_000, jobs - start)).Select(_ => db.StreamAddAsync("bench:raw-pipelined", fields)));
    }

    pipelinedPerSecond = jobs / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"queue: context: pipelined XADD (1,000 in flight): {pipelinedPerSecond:N0}/s");
    await db.KeyDeleteAsync(["bench:raw", "bench:raw-pipelined"]);
}

// Ours: the Worker's real queue (relay + consumer) in-process, with a handler that does nothing but lets the queue
// commit its idempotency marker, and producers enqueueing through the outbox in transactions.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:leadgendb"] = database + ";Maximum Pool Size=64",
    ["ConnectionStrings:cache"] = redis.ConnectionString,
    ["Queue:Concurrency"] = "16",
    ["Queue:ReadBatchSize"] = "128",
    ["Queue:RelayBatchSize"] = "1000",
    ["Queue:MetricsSampleInterval"] = "00:00:05",
});
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
// The stores as the services register them, except per-command client tracing: with no exporter it would only
// measure the OpenTelemetry SDK (--traced keeps it on, as AddLeadGenDataStores does).
if (traced)
{
    // As the Worker traces: the data stores' client spans (roots dropped by BackgroundClientSpanSampler) and the
    // queue's own spans, so every job has its process span with its commands under it. No exporter.
    builder.AddLeadGenDataStores();
    builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource("LeadGen.*"));
}
else
{
    builder.AddNpgsqlDataSource(ConnectionNames.Database, settings => settings.DisableTracing = true);
    builder.AddRedisClient(ConnectionNames.Cache, settings => settings.DisableTracing = true);
}

builder.AddLeadGenJobProcessing();
var counter = new NoOpCounter();
builder.Services.AddSingleton(counter);
builder.Services.AddJobHandler<NoOpHandler>(JobType);
using var host = builder.Build();
await host.StartAsync();
var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
var outbox = host.Services.GetRequiredService<IJobOutbox>();
var streamDb = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var ours = Stopwatch.StartNew();
var enqueueWatch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, Producers).Select(producer => Task.Run(async () =>
{
    for (var batch = producer * JobsPerTransaction; batch < jobs; batch += Producers * JobsPerTransaction)
    {
        var payloads = Enumerable.Range(batch, Math.Min(JobsPerTransaction, jobs - batch)).Select(n => new NoOpPayload(n)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.EnqueueManyAsync(transaction, JobType, payloads, CancellationToken.None);
        await transaction.CommitAsync();
    }
})));
var enqueueSeconds = enqueueWatch.Elapsed.TotalSeconds;
Console.WriteLine($"queue: enqueued {jobs:N0} through the outbox in {enqueueSeconds:F2} s ({jobs / enqueueSeconds:N0}/s; relay and consumers running meanwhile)");

var deadline = DateTime.UtcNow.AddMinutes(4);
while (counter.Count < jobs || await streamDb.StreamLengthAsync(QueueKeys.Stream(JobType)) > 0)
{
    if (DateTime.UtcNow > deadline)
    {
        Console.Error.WriteLine($"queue: timed out with {counter.Count:N0} of {jobs:N0} jobs handled");
        return 1;
    }

    await Task.Delay(5);
}

var oursSeconds = ours.Elapsed.TotalSeconds;
var driverCpuMicrosPerJob = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / jobs;
var oursPerSecond = jobs / oursSeconds;
await using (var check = dataSource.CreateCommand("SELECT (SELECT count(*) FROM processed_jobs), (SELECT count(*) FROM job_outbox)"))
await using (var reader = await check.ExecuteReaderAsync())
{
    await reader.ReadAsync();
    Console.WriteLine($"queue: ours: {jobs:N0} jobs enqueue→ack in {oursSeconds:F2} s = {oursPerSecond:N0} jobs/s " +
                      $"(processed markers: {reader.GetInt64(0):N0}, outbox left: {reader.GetInt64(1):N0}, handler runs: {counter.Count:N0}); " +
                      $"this process (producers + relay + consumers) used {driverCpuMicrosPerJob:F0} µs CPU per job");
}

await host.StopAsync();
var ratio = oursPerSecond / baselinePerSecond;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT queue ours={oursPerSecond:F0} baseline={baselinePerSecond:F0} unit=jobs/s ratio={ratio:F3} jobs={jobs} enqueue_per_s={jobs / enqueueSeconds:F0} xadd_pipelined_per_s={pipelinedPerSecond:F0} worker_cpu_us_per_job={driverCpuMicrosPerJob:F0} client_tracing={(traced ? "on" : "off")} cores={Environment.ProcessorCount}"));
return 0;
