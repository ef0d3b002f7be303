using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Calls.Realtime;

/// <summary>
/// Tells every dialer that the voice engine turned a call away for lack of capacity, through one Redis key with an
/// expiry (<c>leadgen:engine:capacity-backoff</c>): the VoiceApi sets it when a call cannot get rate-limit budget, and
/// while it lives the dialer places no new native-audio calls — calls it would place would only hear the busy line.
/// The pause is the limiter's own estimate, kept between <see cref="Minimum"/> and <see cref="Maximum"/>, and never
/// shortened by a later, smaller estimate. Without Redis, nothing is paused (logged): the limiter still protects the model.
/// </summary>
public sealed class EngineCapacityBackoff(IConnectionMultiplexer redis, ILogger<EngineCapacityBackoff> logger)
{
    public const string Key = "leadgen:engine:capacity-backoff";
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(5);

    // Sets the key unless a longer pause is already in force.
    private static readonly LuaScript ExtendScript = LuaScript.Prepare("""
        local ttl = redis.call('PTTL', @key)
        if ttl < tonumber(@ms) then
          redis.call('SET', @key, '1', 'PX', tonumber(@ms))
        end
        return 0
        """);

    public async Task ReportAsync(TimeSpan retryAfter)
    {
        var pause = retryAfter < Minimum ? Minimum : retryAfter > Maximum ? Maximum : retryAfter;
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ExtendScript, new { key = (RedisKey)Key, ms = (long)pause.TotalMilliseconds });
            logger.LogWarning("Voice engine at capacity: new native-audio calls paused for {Seconds:F0} s", pause.TotalSeconds);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not tell the dialer to slow down (Redis)");
        }
    }

    /// <summary>How much longer new native-audio calls are paused; null when they are not.</summary>
    public async Task<TimeSpan?> PausedForAsync()
    {
        try
        {
            return await redis.GetDatabase().KeyTimeToLiveAsync(Key) is { } ttl && ttl > TimeSpan.Zero ? ttl : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not read the voice engine's capacity pause (Redis); dialing as usual");
            return null;
        }
    }
}
