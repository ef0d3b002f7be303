using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Gemini.RateLimiting;

/// <summary>
/// Sliding-window limiter in Redis, one sorted set per model (<c>leadgen:gemini:ratelimit:{model}</c>): each admitted
/// request is a member <c>id|tokens</c> scored by Redis's own clock, so every instance judges by the same time. A Lua
/// script trims entries older than the window, checks requests-per-window and tokens-per-window, and either records
/// the request or returns how long until enough entries age out — atomically, so instances sharing the Redis never
/// admit more than the limits together. Token counts start as an estimate and are corrected to the reported usage.
/// If Redis is unreachable the limiter lets requests through (logged): an outage of the cache must not stop calls,
/// and Vertex's own quota (429, retried) still applies.
/// </summary>
public sealed class RedisGeminiRateLimiter(
    IConnectionMultiplexer redis,
    GeminiRateLimitOptions options,
    TimeProvider timeProvider,
    ILogger<RedisGeminiRateLimiter> logger) : IGeminiRateLimiter
{
    private const string KeyPrefix = "leadgen:gemini:ratelimit:";

    // Returns {1, 0} when admitted, else {0, milliseconds until capacity}.
    private static readonly LuaScript AcquireScript = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(@windowMs)
        local maxRequests = tonumber(@maxRequests)
        local maxTokens = tonumber(@maxTokens)
        local tokens = tonumber(@tokens)
        redis.call('ZREMRANGEBYSCORE', @key, '-inf', now - window)
        local entries = redis.call('ZRANGE', @key, 0, -1, 'WITHSCORES')
        local count = #entries / 2
        local used = 0
        for i = 1, #entries, 2 do
          local m = entries[i]
          used = used + tonumber(string.sub(m, string.find(m, '|', 1, true) + 1))
        end
        local requestsOk = maxRequests <= 0 or count + 1 <= maxRequests
        local tokensOk = maxTokens <= 0 or count == 0 or used + tokens <= maxTokens
        if requestsOk and tokensOk then
          redis.call('ZADD', @key, now, @member .. '|' .. tokens)
          redis.call('PEXPIRE', @key, window)
          return {1, 0}
        end
        local wait = 0
        if not requestsOk then
          local oldest = tonumber(entries[(count + 1 - maxRequests) * 2])
          wait = oldest + window - now
        end
        if not tokensOk then
          local needed = used + tokens - maxTokens
          local freed = 0
          for i = 1, #entries, 2 do
            local m = entries[i]
            freed = freed + tonumber(string.sub(m, string.find(m, '|', 1, true) + 1))
            if freed >= needed then
              wait = math.max(wait, tonumber(entries[i + 1]) + window - now)
              break
            end
          end
        end
        return {0, math.max(wait, 1)}
        """);

    // Rewrites a member's token count, keeping its time; a no-op when the entry already aged out.
    private static readonly LuaScript CorrectScript = LuaScript.Prepare("""
        local score = redis.call('ZSCORE', @key, @oldMember)
        if score then
          redis.call('ZREM', @key, @oldMember)
          redis.call('ZADD', @key, score, @newMember)
        end
        return 0
        """);

    // Records usage unconditionally (it has happened), scored by Redis's clock like admitted requests.
    private static readonly LuaScript RecordScript = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', @key, now, @member .. '|' .. @tokens)
        redis.call('PEXPIRE', @key, tonumber(@windowMs))
        return 0
        """);

    public async ValueTask RecordAsync(string model, int tokens, CancellationToken cancellationToken)
    {
        if (options.TokensPerMinute <= 0 || tokens <= 0)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(RecordScript, new
            {
                key = (RedisKey)(KeyPrefix + model),
                member = Guid.NewGuid().ToString("N"),
                tokens,
                windowMs = (long)options.Window.TotalMilliseconds,
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not record Gemini token usage for {Model} in the rate limiter", model);
        }
    }

    public async ValueTask<IGeminiRateLease> AcquireAsync(string model, int estimatedTokens, CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        if (options.RequestsPerMinute <= 0 && options.TokensPerMinute <= 0)
        {
            return NoLease.Instance;
        }

        var key = (RedisKey)(KeyPrefix + model);
        var id = Guid.NewGuid().ToString("N");
        var tokens = Math.Max(0, estimatedTokens);
        var started = timeProvider.GetTimestamp();
        while (true)
        {
            RedisResult[] result;
            try
            {
                result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, new
                {
                    key,
                    windowMs = (long)options.Window.TotalMilliseconds,
                    maxRequests = options.RequestsPerMinute,
                    maxTokens = options.TokensPerMinute,
                    tokens,
                    member = id,
                }))!;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Gemini rate limiter unavailable (Redis); admitting the request for {Model} unlimited", model);
                return NoLease.Instance;
            }

            if ((int)result[0] == 1)
            {
                return new Lease(this, key, id, tokens);
            }

            var wait = TimeSpan.FromMilliseconds((long)result[1]);
            var remaining = (maxWait ?? options.MaxWait) - timeProvider.GetElapsedTime(started);
            if (wait > remaining)
            {
                logger.LogWarning("Gemini rate limit for {Model} exhausted; capacity in {WaitMs} ms exceeds the wait bound", model, wait.TotalMilliseconds);
                throw new GeminiRateLimitExceededException(model, wait);
            }

            // A few ms of jitter so instances that were told the same instant do not all retry in lockstep.
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(1, 15)), timeProvider, cancellationToken);
        }
    }

    private async ValueTask CorrectAsync(RedisKey key, string id, int estimated, int actual)
    {
        if (actual == estimated)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(CorrectScript, new
            {
                key,
                oldMember = id + "|" + estimated.ToString(CultureInfo.InvariantCulture),
                newMember = id + "|" + actual.ToString(CultureInfo.InvariantCulture),
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not record actual Gemini token usage in the rate limiter");
        }
    }

    private sealed class Lease(RedisGeminiRateLimiter limiter, RedisKey key, string id, int estimated) : IGeminiRateLease
    {
        public ValueTask CompleteAsync(int? actualTokens, CancellationToken cancellationToken) =>
            actualTokens is { } actual ? limiter.CorrectAsync(key, id, estimated, actual) : ValueTask.CompletedTask;
    }

    private sealed class NoLease : IGeminiRateLease
    {
        public static readonly NoLease Instance = new();

        public ValueTask CompleteAsync(int? actualTokens, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
