using System.Globalization;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace LeadGen.Testing;

/// <summary>
/// A real Redis server for tests, started from <c>scripts/local-redis.sh</c> on a free port with AUTH (as Memorystore).
/// Can be stopped and restarted on the same port to test outages.
/// </summary>
public sealed class LocalRedis : LocalServer
{
    private LocalRedis(int port, string password)
        : base(NewDataDirectory("redis"), port)
    {
        Password = password;
    }

    public string Password { get; }

    /// <summary>StackExchange.Redis connection string (the same shape the AppHost passes as <c>ConnectionStrings__cache</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false";

    protected override string DisplayName => "Redis";

    public static async Task<LocalRedis> StartAsync(CancellationToken cancellationToken = default)
    {
        var redis = new LocalRedis(FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        await redis.RestartAsync(cancellationToken);
        return redis;
    }

    protected override ServerProcess StartProcess() => ServerProcess.Start(
        "local-redis.sh",
        [DataDirectory, Port.ToString(CultureInfo.InvariantCulture), "appendfsync no"],
        new Dictionary<string, string> { ["LEADGEN_REDIS_PASSWORD"] = Password });

    protected override async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            var options = ConfigurationOptions.Parse($"127.0.0.1:{Port},password={Password},connectTimeout=1000");
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisConnectionException)
        {
            return false;
        }
    }
}
