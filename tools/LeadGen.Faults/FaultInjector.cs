using System.Diagnostics;
using System.Globalization;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.Faults;

/// <summary>Injects one <see cref="Fault"/> into the running <see cref="SystemUnderFault"/> and brings the system back.</summary>
public sealed class FaultInjector(SystemUnderFault stack, FaultCampaign campaign, FaultRunOptions options, Random random, Action<string> log)
{
    private static readonly TimeSpan DownTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan FreezeTime = TimeSpan.FromSeconds(10);

    /// <returns>What was done, for the report (e.g. which Worker, how many calls were live).</returns>
    public async Task<string> InjectAsync(Fault fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case Fault.KillWorkerMidDial:
            {
                var dialling = await WaitForLiveCallsAsync(dialling: true, cancellationToken);
                var worker = stack.Workers[random.Next(stack.Workers.Count)];
                await worker.KillAsync();
                await Task.Delay(DownTime, cancellationToken);
                await worker.StartAsync(cancellationToken);
                return $"{worker.Name} killed with {dialling} call(s) being dialled";
            }

            case Fault.KillVoiceApiMidCall:
            {
                var live = await WaitForLiveCallsAsync(dialling: false, cancellationToken);
                await stack.VoiceApi.KillAsync();
                await Task.Delay(DownTime, cancellationToken);
                await stack.VoiceApi.StartAsync(cancellationToken);
                return $"voiceapi killed with {live} call(s) connected";
            }

            case Fault.RestartRedis:
                await stack.Redis.StopAsync();
                await Task.Delay(DownTime, cancellationToken);
                await stack.Redis.RestartAsync(cancellationToken);
                return "redis stopped (SIGTERM) and started";

            case Fault.RestartPostgresFast:
                await stack.Postgres.StopAsync(); // the script turns TERM into the postmaster's fast shutdown
                await Task.Delay(DownTime, cancellationToken);
                await stack.Postgres.RestartAsync(cancellationToken);
                return "postgres fast shutdown and start";

            case Fault.RestartPostgresImmediate:
            {
                Signal(stack.PostmasterId(), "QUIT"); // immediate shutdown: no checkpoint, recovery at start
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (stack.Postgres.ProcessId is not null && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100, cancellationToken);
                }

                await stack.Postgres.StopAsync();
                await Task.Delay(DownTime, cancellationToken);
                await stack.Postgres.RestartAsync(cancellationToken);
                return "postgres immediate shutdown and start (crash recovery)";
            }

            case Fault.FreezeRedis:
            {
                var redis = stack.Redis.ProcessId ?? throw new InvalidOperationException("Redis is not running.");
                Signal(redis, "STOP");
                try
                {
                    await Task.Delay(FreezeTime, cancellationToken);
                }
                finally
                {
                    Signal(redis, "CONT");
                }

                return "redis frozen (SIGSTOP) for 10 s, then SIGCONT";
            }

            case Fault.FillOutboxWhileRedisDown:
            {
                await stack.Redis.StopAsync();
                await EnqueueDialerJobsAsync(options.OutboxFill, cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken); // the campaign writes its own jobs meanwhile
                var backlog = await OutboxBacklogAsync(cancellationToken);
                await stack.Redis.RestartAsync(cancellationToken);
                return $"redis down; {options.OutboxFill} dialer jobs written; outbox held {backlog} row(s) when redis came back";
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    /// <summary>Waits (up to 20 s) for live calls: being dialled (queued/initiated/ringing) or connected (in progress).</summary>
    private async Task<long> WaitForLiveCallsAsync(bool dialling, CancellationToken cancellationToken)
    {
        var statuses = dialling ? "'queued', 'initiated', 'ringing'" : "'in_progress'";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long live;
        do
        {
            await using var connection = await stack.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM calls WHERE status IN ({statuses})", connection);
            live = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (live > 0)
            {
                return live;
            }

            await Task.Delay(100, cancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        log($"  (no {(dialling ? "dialling" : "connected")} call within 20 s: injecting anyway)");
        return live;
    }

    /// <summary>Extra dialer jobs, each its own id, through the product's outbox (what any state change does).</summary>
    private async Task EnqueueDialerJobsAsync(int count, CancellationToken cancellationToken)
    {
        await using var services = new ServiceCollection().AddMetrics().AddSingleton<QueueTelemetry>().BuildServiceProvider();
        var outbox = new PostgresJobOutbox(services.GetRequiredService<QueueTelemetry>(), TimeProvider.System);
        await using var connection = await stack.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < count; i++)
        {
            await outbox.EnqueueAsync(transaction, JobTypes.Dialer, new DialerJob(campaign.Id), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<long> OutboxBacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await stack.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM job_outbox", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed ({kill.ExitCode}).");
        }
    }
}
