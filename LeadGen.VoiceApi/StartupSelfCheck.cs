using System.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.VoiceApi;

/// <summary>
/// Checks once at startup that the database and the cache answer, inside a trace, and logs what it found. A failure is
/// logged, not thrown: readiness (<c>/health</c>) is what keeps traffic away until the stores answer.
/// </summary>
internal sealed class StartupSelfCheck(NpgsqlDataSource dataSource, IConnectionMultiplexer redis, ILogger<StartupSelfCheck> logger)
    : BackgroundService
{
    private static readonly ActivitySource ActivitySource = new("LeadGen.VoiceApi");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("voiceapi startup self-check");
        try
        {
            await using var command = dataSource.CreateCommand("SELECT count(*) FROM campaigns");
            var campaigns = (long)(await command.ExecuteScalarAsync(stoppingToken) ?? 0L);
            var latency = await redis.GetDatabase().PingAsync();
            logger.LogInformation("Startup self-check passed: {Campaigns} campaigns in Postgres, Redis ping {LatencyMs:F1} ms", campaigns, latency.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is NpgsqlException or RedisException or InvalidOperationException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogWarning(ex, "Startup self-check failed; /health reports readiness");
        }
    }
}
