using System.Security.Cryptography;
using StackExchange.Redis;

namespace LeadGen.Testing;

/// <summary>
/// A real Redis server for tests, started from <c>scripts/local-redis.sh</c> on a free port with AUTH (as Memorystore).
/// Can be stopped and restarted on the same port to test outages.
/// </summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private ServerProcess? _server;

    private LocalRedis(string dataDirectory, int port, string password)
    {
        _dataDirectory = dataDirectory;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>StackExchange.Redis connection string (the same shape the AppHost passes as <c>ConnectionStrings__cache</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false";

    public static async Task<LocalRedis> StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "leadgen-tests", "redis-" + Guid.NewGuid().ToString("N")[..12]);
        var redis = new LocalRedis(directory, FreePort.Next(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        await redis.StartServerAsync(cancellationToken);
        return redis;
    }

    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        _server = ServerProcess.Start(
            "local-redis.sh",
            [_dataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "appendfsync no"],
            new Dictionary<string, string> { ["LEADGEN_REDIS_PASSWORD"] = Password });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"Redis exited during startup:\n{_server.Output}");
            }

            try
            {
                var options = ConfigurationOptions.Parse($"127.0.0.1:{Port},password={Password},connectTimeout=1000");
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
