using System.Globalization;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Live-call state in Redis, so every VoiceApi instance and the console can list active calls: a sorted set of call
/// ids (score = start time) plus one hash per call. Entries expire on their own if an instance dies mid-call.
/// The listing is for watching calls, not for having them: with Redis unreachable a call goes on unlisted (a warning
/// is logged) instead of failing.
/// </summary>
public sealed class LiveCallRegistry(IConnectionMultiplexer redis, TimeProvider time, ILogger<LiveCallRegistry> logger)
{
    public const string IndexKey = "leadgen:calls:live";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(2);

    public static string CallKey(Guid callId) => $"{IndexKey}:{callId:N}";

    /// <returns>False when Redis could not be reached (the call is not listed).</returns>
    public async Task<bool> StartedAsync(Guid callId, string? providerCallId, string streamSid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await AddAsync(callId, providerCallId, streamSid);
            return true;
        }
        catch (Exception exception) when (RedisOutage.Is(exception))
        {
            logger.LogWarning(exception, "Call {CallId} goes on without being listed as live: Redis is unreachable", callId);
            return false;
        }
    }

    /// <returns>False when Redis could not be reached (the entry expires on its own).</returns>
    public async Task<bool> EndedAsync(Guid callId)
    {
        try
        {
            var database = redis.GetDatabase();
            await Task.WhenAll(
                database.KeyDeleteAsync(CallKey(callId)),
                database.SortedSetRemoveAsync(IndexKey, callId.ToString("N")));
            return true;
        }
        catch (Exception exception) when (RedisOutage.Is(exception))
        {
            logger.LogWarning(exception, "Call {CallId} could not be removed from the live list (Redis unreachable); it expires by itself", callId);
            return false;
        }
    }

    private async Task AddAsync(Guid callId, string? providerCallId, string streamSid)
    {
        var now = time.GetUtcNow();
        var database = redis.GetDatabase();
        var batch = database.CreateBatch();
        var writes = new[]
        {
            batch.HashSetAsync(CallKey(callId),
            [
                new("callId", callId.ToString()),
                new("providerCallId", providerCallId ?? string.Empty),
                new("streamSid", streamSid),
                new("instance", Environment.MachineName),
                new("startedAt", now.ToString("O", CultureInfo.InvariantCulture)),
                new("state", "talking"),
            ]),
            batch.KeyExpireAsync(CallKey(callId), StaleAfter),
            batch.SortedSetAddAsync(IndexKey, callId.ToString("N"), now.ToUnixTimeMilliseconds()),
        };
        batch.Execute();
        await Task.WhenAll(writes);
    }

    /// <summary>Active calls, oldest first; prunes index entries whose hash expired.</summary>
    public async Task<IReadOnlyList<LiveCall>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = redis.GetDatabase();
        var ids = await database.SortedSetRangeByRankAsync(IndexKey, 0, 999);
        var calls = new List<LiveCall>(ids.Length);
        foreach (var id in ids)
        {
            var fields = await database.HashGetAllAsync($"{IndexKey}:{id}");
            if (fields.Length == 0)
            {
                await database.SortedSetRemoveAsync(IndexKey, id);
                continue;
            }

            var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
            calls.Add(new LiveCall(
                Guid.Parse(map["callId"]),
                map.GetValueOrDefault("providerCallId") is { Length: > 0 } sid ? sid : null,
                map.GetValueOrDefault("instance") ?? string.Empty,
                DateTimeOffset.Parse(map["startedAt"], CultureInfo.InvariantCulture),
                map.GetValueOrDefault("state") ?? "talking"));
        }

        return calls;
    }
}

public sealed record LiveCall(Guid CallId, string? ProviderCallId, string Instance, DateTimeOffset StartedAt, string State);
