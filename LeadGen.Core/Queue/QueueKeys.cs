using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// Redis key names of the queue. The job type sits in a hash tag (<c>{place-call}</c>) so a type's stream, retry set
/// and dead-letter stream share one cluster slot: the Lua scripts that move entries between them stay atomic there too.
/// </summary>
public static class QueueKeys
{
    /// <summary>The one consumer group every Worker instance joins, on every job stream.</summary>
    public const string ConsumerGroup = "leadgen-workers";

    /// <summary>Pub/sub channel the relay and the retry mover publish a job type on, to wake idle consumers at once.</summary>
    public static readonly RedisChannel WakeChannel = RedisChannel.Literal("leadgen:jobs:wake");

    public static RedisKey Stream(string jobType) => $"leadgen:jobs:{{{jobType}}}";

    /// <summary>Sorted set of jobs waiting for their retry time (score = due time, Unix milliseconds).</summary>
    public static RedisKey Retries(string jobType) => $"leadgen:jobs:{{{jobType}}}:retry";

    public static RedisKey DeadLetters(string jobType) => $"leadgen:jobs:{{{jobType}}}:dead";
}
