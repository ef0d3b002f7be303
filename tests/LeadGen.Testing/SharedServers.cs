using Xunit;

namespace LeadGen.Testing;

/// <summary>
/// One Postgres and one Redis server per test assembly (xunit collection fixture): starting a server costs ~1-2 s,
/// so test classes share the servers and isolate themselves with their own database / key prefix.
/// </summary>
public sealed class SharedServers : IAsyncLifetime
{
    private LocalPostgres? _postgres;
    private LocalRedis? _redis;

    public LocalPostgres Postgres => _postgres ?? throw new InvalidOperationException("Not started.");

    public LocalRedis Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        var postgres = LocalPostgres.StartAsync();
        var redis = LocalRedis.StartAsync();
        _postgres = await postgres;
        _redis = await redis;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
