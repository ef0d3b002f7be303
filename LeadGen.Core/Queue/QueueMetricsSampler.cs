using LeadGen.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>Samples the queue's gauges (stream length, pending, lag, scheduled retries, dead letters, outbox backlog).</summary>
public sealed class QueueMetricsSampler(
    IEnumerable<JobHandlerRegistration> registrations,
    NpgsqlDataSource dataSource,
    RedisJobStreams streams,
    QueueOptions options,
    QueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<QueueMetricsSampler> logger) : BackgroundService
{
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        foreach (var jobType in registrations.Select(registration => registration.JobType).Distinct(StringComparer.Ordinal))
        {
            try
            {
                telemetry.Record(jobType, await streams.SampleAsync(jobType));
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                logger.LogDebug(ex, "Could not sample the {JobType} stream", jobType);
            }
        }

        var backlog = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT job_type, count(*) FROM job_outbox GROUP BY job_type");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            backlog[reader.GetString(0)] = reader.GetInt64(1);
        }

        telemetry.RecordOutboxBacklog(backlog);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.MetricsSampleInterval, timeProvider);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(ex, "Could not sample the outbox backlog");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
