using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Queue;

/// <summary>
/// Enqueues the recurring jobs: a <c>dialer</c> job per running campaign every <see cref="DialerOptions.Interval"/>
/// a <c>retention</c> job every <see cref="RetentionOptions.Interval"/> and a <c>reap-calls</c> job every
/// <see cref="CallReaperOptions.Interval"/>. Ids are derived from the time bucket,
/// so several Worker instances produce one job per campaign and tick (see <see cref="DeterministicJobId"/>).
/// </summary>
public sealed class RecurringJobScheduler(
    NpgsqlDataSource dataSource,
    IJobOutbox outbox,
    IOptions<DialerOptions> dialerOptions,
    IOptions<RetentionOptions> retentionOptions,
    IOptions<CallReaperOptions> reaperOptions,
    TimeProvider timeProvider,
    ILogger<RecurringJobScheduler> logger) : BackgroundService
{
    /// <summary>Enqueues the jobs due at the current time; returns how many were new.</summary>
    public async Task<int> ScheduleDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var dialerTick = Bucket(now, dialerOptions.Value.Interval);
        var retentionTick = Bucket(now, retentionOptions.Value.Interval);
        var reaperTick = Bucket(now, reaperOptions.Value.Interval);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var campaigns = new List<Guid>();
        await using (var running = new NpgsqlCommand("SELECT id FROM campaigns WHERE status = @running", connection, transaction))
        {
            running.Parameters.AddWithValue("running", CampaignStatuses.Running);
            await using var reader = await running.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                campaigns.Add(reader.GetGuid(0));
            }
        }

        var created = 0;
        foreach (var campaign in campaigns)
        {
            var id = DeterministicJobId.For($"{JobTypes.Dialer}:{campaign:N}:{dialerTick}");
            created += await outbox.EnqueueAsync(transaction, JobTypes.Dialer, new DialerJob(campaign), id, cancellationToken) ? 1 : 0;
        }

        var retentionId = DeterministicJobId.For($"{JobTypes.Retention}:{retentionTick}");
        created += await outbox.EnqueueAsync(transaction, JobTypes.Retention, new RetentionJob(), retentionId, cancellationToken) ? 1 : 0;
        var reaperId = DeterministicJobId.For($"{JobTypes.ReapCalls}:{reaperTick}");
        created += await outbox.EnqueueAsync(transaction, JobTypes.ReapCalls, new ReapCallsJob(), reaperId, cancellationToken) ? 1 : 0;
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(dialerOptions.Value.Interval, timeProvider);
        do
        {
            try
            {
                await ScheduleDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not schedule recurring jobs; trying again next tick");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static long Bucket(DateTimeOffset now, TimeSpan interval) =>
        now.ToUnixTimeMilliseconds() / Math.Max(1, (long)interval.TotalMilliseconds);

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
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
