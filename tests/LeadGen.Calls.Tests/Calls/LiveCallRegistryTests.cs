using LeadGen.Core.Calls.Live;
using LeadGen.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LeadGen.Calls.Tests.Calls;

[Collection(ServersCollection.Name)]
public sealed class LiveCallRegistryTests(SharedServers servers)
{
    [Fact]
    public async Task A_call_is_listed_while_live_and_removed_when_it_ends()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        var registry = new LiveCallRegistry(redis, TimeProvider.System, NullLogger<LiveCallRegistry>.Instance);
        var callId = Guid.CreateVersion7();

        Assert.True(await registry.StartedAsync(callId, "CA123", "MZ123", CancellationToken.None));
        var listed = Assert.Single(await registry.ListAsync(CancellationToken.None), c => c.CallId == callId);
        Assert.Equal("CA123", listed.ProviderCallId);

        Assert.True(await registry.EndedAsync(callId));
        Assert.DoesNotContain(await registry.ListAsync(CancellationToken.None), c => c.CallId == callId);
    }

    [Fact]
    public async Task With_Redis_unreachable_a_call_goes_on_unlisted_instead_of_failing()
    {
        // Nothing listens on the port: commands wait in the backlog and time out (RedisTimeoutException, which is not a
        // RedisException) or fail to connect.
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FreePort.Next()},abortConnect=false,connectTimeout=200,asyncTimeout=300,syncTimeout=300");
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        var registry = new LiveCallRegistry(unreachable, TimeProvider.System, NullLogger<LiveCallRegistry>.Instance);

        Assert.False(await registry.StartedAsync(Guid.CreateVersion7(), "CA1", "MZ1", CancellationToken.None));
        Assert.False(await registry.EndedAsync(Guid.CreateVersion7()));
    }
}
