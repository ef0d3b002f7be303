using System.Diagnostics;
using LeadGen.Core.Queue;
using Npgsql;

namespace LeadGen.Faults;

/// <summary>One injected fault, when and what it hit.</summary>
public sealed record InjectedFault(Fault Fault, TimeSpan At, string Detail);

/// <summary>A finished fault run: what was injected, what the audit found, how long it took.</summary>
public sealed record FaultRunReport(FaultRunOptions Options, IReadOnlyList<InjectedFault> Faults, FaultAuditResult Audit, TimeSpan Elapsed, string LogDirectory)
{
    public int Anomalies => Audit.Anomalies.Count;
}

/// <summary>
/// Issue 18's fault run: start the system as separate processes, start a campaign of simulated leads, inject every
/// fault kind (per round) in a seeded order with seeded pauses, wait for the campaign to settle, then audit.
/// </summary>
public static class FaultRun
{
    public static async Task<FaultRunReport> RunAsync(FaultRunOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        log($"fault run: seed={options.Seed} leads={options.Leads} rounds={options.Rounds} (replay with --seed {options.Seed})");
        await using var stack = await SystemUnderFault.StartAsync(options, log, cancellationToken);
        var campaign = await FaultCampaign.CreateAsync(stack.Database, options, cancellationToken);
        log($"campaign {campaign.Id} running: {options.Leads} leads ({campaign.ControlLeads} in zones outside the window now), " +
            $"zones open now: {string.Join(", ", campaign.CallableZones)}");

        var injector = new FaultInjector(stack, campaign, options, random, log);
        var faults = new List<InjectedFault>();
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var fault in Enum.GetValues<Fault>().OrderBy(_ => random.Next()).ToList())
            {
                var pause = options.MinPause + ((options.MaxPause - options.MinPause) * random.NextDouble());
                await Task.Delay(pause, cancellationToken);
                var at = clock.Elapsed;
                var detail = await injector.InjectAsync(fault, cancellationToken);
                faults.Add(new InjectedFault(fault, at, detail));
                log($"[{at:mm\\:ss}] fault {faults.Count}: {fault}: {detail}");
            }
        }

        if (options.PauseToSettle)
        {
            await campaign.PauseAsync(stack.Database, cancellationToken);
        }

        log($"[{clock.Elapsed:mm\\:ss}] all {faults.Count} faults injected{(options.PauseToSettle ? ", campaign paused" : string.Empty)}; " +
            $"waiting for the campaign to settle (at most {options.SettleTimeout})");
        var settled = await SettleAsync(stack, campaign, options, log, cancellationToken);
        var audit = await FaultAudit.RunAsync(stack, campaign, cancellationToken);
        if (!settled)
        {
            audit.Anomalies.Insert(0, $"settle: the campaign did not settle within {options.SettleTimeout} of the last fault");
        }

        return new FaultRunReport(options, faults, audit, clock.Elapsed, stack.LogDirectory);
    }

    /// <summary>
    /// Settled: no live call, no lead queued or calling, no lead due for a dial within the retry horizon (every other
    /// one is terminal or scheduled later), the outbox empty and no job waiting in a stream or retry set — twice in a row, 2 s apart.
    /// </summary>
    private static async Task<bool> SettleAsync(SystemUnderFault stack, FaultCampaign campaign, FaultRunOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.SettleTimeout;
        var quietPolls = 0;
        var lastReport = DateTime.MinValue;
        while (DateTime.UtcNow < deadline)
        {
            var busy = await BusyAsync(stack, campaign, options.RetryHorizon, cancellationToken);
            quietPolls = busy is null ? quietPolls + 1 : 0;
            if (quietPolls >= 2)
            {
                return true;
            }

            if (busy is not null && DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(15))
            {
                log($"  settling: {busy}");
                lastReport = DateTime.UtcNow;
            }

            await Task.Delay(2000, cancellationToken);
        }

        return false;
    }

    /// <returns>Null when quiet, else what is still going on.</returns>
    private static async Task<string?> BusyAsync(SystemUnderFault stack, FaultCampaign campaign, TimeSpan retryHorizon, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT
              (SELECT count(*) FROM calls WHERE campaign_id = @c AND status IN ('queued', 'initiated', 'ringing', 'in_progress')),
              (SELECT count(*) FROM leads WHERE campaign_id = @c AND status IN ('queued', 'calling')),
              (SELECT count(*) FROM leads WHERE campaign_id = @c AND status IN ('new', 'callback') AND attempts < @max
                 AND (next_attempt_at IS NULL OR next_attempt_at <= now() + @horizon) AND NOT (time_zone = ANY(@closed))
                 AND EXISTS (SELECT 1 FROM campaigns WHERE id = @c AND status = 'running')),
              (SELECT count(*) FROM job_outbox)
            """;
        await using var connection = await stack.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("c", campaign.Id);
        command.Parameters.AddWithValue("max", campaign.MaxAttempts);
        command.Parameters.AddWithValue("closed", campaign.ClosedZones.ToArray());
        command.Parameters.AddWithValue("horizon", retryHorizon);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (live, dialling, due, outbox) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));

        await using var redis = await stack.ConnectRedisAsync();
        var database = redis.GetDatabase();
        long waiting = 0;
        foreach (var type in new[] { JobTypes.Dialer, JobTypes.PlaceCall, JobTypes.AnalyzeCall })
        {
            waiting += await database.StreamLengthAsync(QueueKeys.Stream(type)) + await database.SortedSetLengthAsync(QueueKeys.Retries(type));
        }

        return live + dialling + due + outbox + waiting == 0
            ? null
            : $"{live} live call(s), {dialling} lead(s) queued/calling, {due} lead(s) due by the retry horizon, {outbox} outbox row(s), {waiting} job(s) in streams/retry sets";
    }
}
