using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>One dead-lettered job: its fields as the worker left them (the job's, plus reason, attempts and when).</summary>
public sealed record DeadLetter(string JobType, string EntryId, IReadOnlyDictionary<string, string> Fields)
{
    public string? Reason => Fields.GetValueOrDefault("reason");

    public string? JobId => Fields.GetValueOrDefault("id");

    public string? DeadLetteredAt => Fields.GetValueOrDefault("dead_lettered_at");

    public string? Attempts => Fields.GetValueOrDefault("attempts");
}

/// <summary>
/// The Worker's dead-letter streams made visible: list, retry (the job goes back to its stream with a fresh attempt
/// count, in one Lua step with the removal, so it is never both or neither), discard.
/// </summary>
public sealed class DeadLetters(IConnectionMultiplexer redis)
{
    /// <summary>The job types whose dead letters are shown.</summary>
    public static IReadOnlyList<string> JobTypesShown { get; } = [JobTypes.Dialer, JobTypes.PlaceCall, JobTypes.AnalyzeCall, JobTypes.Retention];

    // Fields of the job itself (JobEnvelope.ToStreamFields); the rest describe the failure and stay behind.
    private static readonly string[] JobFields = ["id", "type", "payload", "enqueued_at", "traceparent", "tracestate"];

    private const string RetryScript = """
        local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #entry == 0 then return 0 end
        local fields = entry[1][2]
        local keep = {}
        for i = 2, #ARGV do keep[ARGV[i]] = true end
        local job = {}
        for i = 1, #fields, 2 do
          if keep[fields[i]] then table.insert(job, fields[i]); table.insert(job, fields[i + 1]) end
        end
        table.insert(job, 'failed_attempts'); table.insert(job, '0')
        redis.call('XADD', KEYS[2], '*', unpack(job))
        redis.call('XDEL', KEYS[1], ARGV[1])
        return 1
        """;

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string jobType, int count)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(QueueKeys.DeadLetters(jobType), "-", "+", count, Order.Descending);
        return entries.Select(entry => new DeadLetter(jobType, entry.Id!, entry.Values.ToDictionary(value => value.Name.ToString(), value => value.Value.ToString(), StringComparer.Ordinal))).ToList();
    }

    /// <returns>False when the entry is no longer there (someone else retried or discarded it).</returns>
    public async Task<bool> RetryAsync(string jobType, string entryId)
    {
        var arguments = new List<RedisValue> { entryId };
        arguments.AddRange(JobFields.Select(field => (RedisValue)field));
        var result = await redis.GetDatabase().ScriptEvaluateAsync(RetryScript, [QueueKeys.DeadLetters(jobType), QueueKeys.Stream(jobType)], [.. arguments]);
        if ((long)result == 1)
        {
            await redis.GetSubscriber().PublishAsync(QueueKeys.WakeChannel, jobType);
            return true;
        }

        return false;
    }

    public async Task<bool> DiscardAsync(string jobType, string entryId) =>
        await redis.GetDatabase().StreamDeleteAsync(QueueKeys.DeadLetters(jobType), [entryId]) == 1;
}
