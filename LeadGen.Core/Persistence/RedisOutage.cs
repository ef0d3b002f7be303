using StackExchange.Redis;

namespace LeadGen.Core.Persistence;

/// <summary>
/// What a Redis outage looks like to the client: connection errors (<see cref="RedisException"/>) and, while commands
/// wait in the backlog for a connection, <see cref="RedisTimeoutException"/>, which is a <see cref="TimeoutException"/>
/// and not a RedisException. Loops that must survive an outage catch both.
/// </summary>
internal static class RedisOutage
{
    public static bool Is(Exception exception) => exception is RedisException or RedisTimeoutException;
}
