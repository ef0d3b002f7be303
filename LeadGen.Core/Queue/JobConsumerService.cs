using LeadGen.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Runs a <see cref="JobConsumer"/> per registered job type. Stopping: no new jobs are taken; running jobs get the
/// host's shutdown timeout to finish, then are cancelled (rolled back, left pending, reclaimed by another instance).
/// </summary>
public sealed class JobConsumerService(
    IEnumerable<JobHandlerRegistration> registrations,
    IServiceProviderIsService serviceCheck,
    JobProcessor processor,
    RedisJobStreams streams,
    IConnectionMultiplexer redis,
    QueueOptions options,
    QueueTelemetry telemetry,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopReading = new();
    private readonly CancellationTokenSource _abortJobs = new();
    private readonly List<Task> _running = [];
    private Dictionary<string, JobConsumer> _consumers = [];
    private int _disposed;

    /// <summary>This instance's name in the consumer groups: unique per process, so a restarted Worker's old pending
    /// entries are reclaimed by idle time rather than silently resumed.</summary>
    public string ConsumerName { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<JobConsumer>();
        var serviceLogger = loggerFactory.CreateLogger<JobConsumerService>();
        foreach (var missing in registrations.Where(registration => registration.RequiredService is { } required && !serviceCheck.IsService(required)))
        {
            serviceLogger.LogWarning("Not consuming {JobType} jobs: no {Service} is registered; they wait in their stream", missing.JobType, missing.RequiredService!.Name);
        }

        _consumers = registrations
            .Where(registration => registration.RequiredService is not { } required || serviceCheck.IsService(required))
            .Select(registration => registration.JobType)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(type => type, type => new JobConsumer(type, ConsumerName, processor, streams, options, telemetry, timeProvider, logger), StringComparer.Ordinal);
        _running.Add(SubscribeToWakeUpsAsync(_stopReading.Token));
        foreach (var consumer in _consumers.Values)
        {
            _running.Add(Task.Run(() => consumer.RunAsync(_stopReading.Token, _abortJobs.Token), CancellationToken.None));
        }

        serviceLogger.LogInformation(
            "Consuming job types {JobTypes} as {Consumer}", string.Join(", ", _consumers.Keys), ConsumerName);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopReading.CancelAsync();
        await using var abort = cancellationToken.Register(() => _abortJobs.Cancel());
        await Task.WhenAll(_running);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as a hosted service: the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopReading.CancelAsync();
        await _abortJobs.CancelAsync();
        foreach (var consumer in _consumers.Values)
        {
            consumer.Dispose();
        }

        _stopReading.Dispose();
        _abortJobs.Dispose();
    }

    private async Task SubscribeToWakeUpsAsync(CancellationToken cancellationToken)
    {
        // Retried until it works: Redis may be down when the Worker starts (consumers poll meanwhile).
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(QueueKeys.WakeChannel, (_, message) =>
                {
                    if (_consumers.TryGetValue(message.ToString(), out var consumer))
                    {
                        consumer.Wake();
                    }
                });
                return;
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
