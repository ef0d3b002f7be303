using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// The Redis side of the queue: one stream per job type read by the <see cref="QueueKeys.ConsumerGroup"/> group, a
/// sorted set of scheduled retries and a dead-letter stream. Every move between them is one Lua script, so an entry is
/// never in two places nor in none (e.g. acknowledged but not yet scheduled for retry).
/// </summary>
public sealed class RedisJobStreams(IConnectionMultiplexer redis)
{
    // Acknowledged entries are deleted: the stream then holds only work not yet done, so XLEN is the backlog.
    private const string AcknowledgeScript = """
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
        return redis.call('XDEL', KEYS[1], ARGV[2])
        """;

    // Only the consumer still owning the pending entry may move it (XACK returns 0 when it was already handled).
    private const string ScheduleRetryScript = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        return 1
        """;

    private const string DeadLetterScript = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
        return 1
        """;

    // Retry members are the stream fields as a flat JSON array of strings, handed back to XADD unchanged.
    private const string MoveDueRetriesScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, member in ipairs(due) do
          redis.call('XADD', KEYS[1], '*', unpack(cjson.decode(member)))
          redis.call('ZREM', KEYS[2], member)
        end
        return #due
        """;

    // Resets the idle time of an entry this consumer is still working on, so a long job is not reclaimed; does
    // nothing when another consumer has taken it over meanwhile.
    private const string HeartbeatScript = """
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
        if #pending == 0 or pending[1][2] ~= ARGV[2] then return 0 end
        redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
        return 1
        """;

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the stream and its consumer group when missing (from the stream's start, so nothing relayed
    /// before the first Worker started is skipped).</summary>
    public async Task EnsureConsumerGroupAsync(string jobType)
    {
        try
        {
            await Database.StreamCreateConsumerGroupAsync(QueueKeys.Stream(jobType), QueueKeys.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another instance (or an earlier run) created it.
        }
    }

    /// <summary>Adds jobs to their streams, pipelined; completes when Redis has stored every one.</summary>
    public Task PublishAsync(IReadOnlyList<JobEnvelope> jobs)
    {
        var database = Database;
        return Task.WhenAll(jobs.Select(job => database.StreamAddAsync(QueueKeys.Stream(job.Type), job.ToStreamFields())));
    }

    /// <summary>Wakes idle consumers of these job types (best effort: they poll anyway).</summary>
    public Task WakeConsumersAsync(IEnumerable<string> jobTypes) =>
        Task.WhenAll(jobTypes.Select(type => redis.GetSubscriber().PublishAsync(QueueKeys.WakeChannel, type, CommandFlags.FireAndForget)));

    public async Task<StreamEntry[]> ReadNewAsync(string jobType, string consumer, int count) =>
        await Database.StreamReadGroupAsync(QueueKeys.Stream(jobType), QueueKeys.ConsumerGroup, consumer, StreamPosition.NewMessages, count);

    public Task AcknowledgeAsync(string jobType, RedisValue entryId) =>
        Database.ScriptEvaluateAsync(AcknowledgeScript, [QueueKeys.Stream(jobType)], [QueueKeys.ConsumerGroup, entryId]);

    /// <returns>False when the entry was no longer pending for the group (someone else finished it).</returns>
    public async Task<bool> ScheduleRetryAsync(string jobType, RedisValue entryId, JobEnvelope retry, DateTimeOffset dueAt)
    {
        var result = await Database.ScriptEvaluateAsync(
            ScheduleRetryScript,
            [QueueKeys.Stream(jobType), QueueKeys.Retries(jobType)],
            [QueueKeys.ConsumerGroup, entryId, dueAt.ToUnixTimeMilliseconds(), retry.ToFlatJson()]);
        return (long)result == 1;
    }

    /// <summary>Moves a pending entry to the dead-letter stream with these fields (the job's, plus why and when).</summary>
    public async Task<bool> DeadLetterAsync(string jobType, RedisValue entryId, IReadOnlyList<NameValueEntry> fields)
    {
        var arguments = new List<RedisValue>(2 + (fields.Count * 2)) { QueueKeys.ConsumerGroup, entryId };
        foreach (var field in fields)
        {
            arguments.Add(field.Name);
            arguments.Add(field.Value);
        }

        var result = await Database.ScriptEvaluateAsync(
            DeadLetterScript,
            [QueueKeys.Stream(jobType), QueueKeys.DeadLetters(jobType)],
            [.. arguments]);
        return (long)result == 1;
    }

    /// <returns>How many retries were due and put back into the stream.</returns>
    public async Task<long> MoveDueRetriesAsync(string jobType, DateTimeOffset now, int max)
    {
        var result = await Database.ScriptEvaluateAsync(
            MoveDueRetriesScript,
            [QueueKeys.Stream(jobType), QueueKeys.Retries(jobType)],
            [now.ToUnixTimeMilliseconds(), max]);
        return (long)result;
    }

    /// <summary>
    /// Takes over entries pending longer than <paramref name="minIdle"/> (their consumer crashed or hung), with the
    /// number of times each has now been delivered.
    /// </summary>
    public async Task<IReadOnlyList<(StreamEntry Entry, int Deliveries)>> ReclaimAsync(string jobType, string consumer, TimeSpan minIdle, int count)
    {
        var key = QueueKeys.Stream(jobType);
        var result = await Database.StreamAutoClaimAsync(key, QueueKeys.ConsumerGroup, consumer, (long)minIdle.TotalMilliseconds, "0-0", count);
        if (result.IsNull || result.ClaimedEntries.Length == 0)
        {
            return [];
        }

        var claimed = result.ClaimedEntries.Where(entry => !entry.IsNull).ToArray();
        if (claimed.Length == 0)
        {
            return [];
        }

        var pending = await Database.StreamPendingMessagesAsync(
            key, QueueKeys.ConsumerGroup, claimed.Length, consumer, claimed.Min(entry => entry.Id), claimed.Max(entry => entry.Id));
        var deliveries = pending.ToDictionary(info => info.MessageId.ToString(), info => info.DeliveryCount, StringComparer.Ordinal);
        return [.. claimed.Select(entry => (entry, deliveries.TryGetValue(entry.Id.ToString(), out var count) ? count : 2))];
    }

    public Task HeartbeatAsync(string jobType, string consumer, RedisValue entryId) =>
        Database.ScriptEvaluateAsync(HeartbeatScript, [QueueKeys.Stream(jobType)], [QueueKeys.ConsumerGroup, consumer, entryId]);

    internal async Task<QueueSample> SampleAsync(string jobType)
    {
        var database = Database;
        var length = database.StreamLengthAsync(QueueKeys.Stream(jobType));
        var groups = database.StreamGroupInfoAsync(QueueKeys.Stream(jobType));
        var retries = database.SortedSetLengthAsync(QueueKeys.Retries(jobType));
        var dead = database.StreamLengthAsync(QueueKeys.DeadLetters(jobType));
        var group = (await groups).FirstOrDefault(info => info.Name == QueueKeys.ConsumerGroup);
        return new QueueSample(await length, group.PendingMessageCount, group.Lag ?? 0, await retries, await dead);
    }
}
