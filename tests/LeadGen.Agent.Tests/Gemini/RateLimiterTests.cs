using System.Diagnostics;
using LeadGen.Agent.Tests.Fakes;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.RateLimiting;
using LeadGen.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LeadGen.Agent.Tests.Gemini;

/// <summary>The Redis limiter shared by instances: each client has its own Redis connection, as separate instances would.</summary>
[Collection(ServersCollection.Name)]
public sealed class RateLimiterTests(SharedServers servers) : IAsyncLifetime
{
    private readonly List<IConnectionMultiplexer> _connections = [];
    private FakeVertexServer _vertex = null!;

    public async ValueTask InitializeAsync()
    {
        _vertex = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "europe-west4", VertexTestClients.Model, VertexTestClients.Token));
        _vertex.DefaultReply = _ => FakeReply.Text("ok", promptTokens: 10, outputTokens: 5);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _vertex.DisposeAsync();
    }

    [Fact]
    public async Task Two_clients_sharing_one_Redis_limiter_never_exceed_the_limit_together()
    {
        var limits = new GeminiRateLimitOptions { RequestsPerMinute = 3, TokensPerMinute = 0, Window = TimeSpan.FromSeconds(1), MaxWait = TimeSpan.FromSeconds(20) };
        var model = "limit-test-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await LimitedClientAsync(limits, model);
        using var second = await LimitedClientAsync(limits, model);
        var stopwatch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? first : second).GetResponseAsync("hi")));

        var arrivals = _vertex.Requests.Select(request => request.ReceivedAt).Order().ToList();
        Assert.Equal(12, arrivals.Count);
        // 12 requests at 3 per second need at least three more windows after the first batch.
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(2.9), $"finished in {stopwatch.Elapsed}");
        // No window held more than the limit (0.8 s leaves room for the hop from limiter to server on a busy machine).
        for (var i = 0; i + 3 < arrivals.Count; i++)
        {
            Assert.True(arrivals[i + 3] - arrivals[i] >= TimeSpan.FromSeconds(0.8), $"requests {i}..{i + 3} arrived within {(arrivals[i + 3] - arrivals[i]).TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task Usage_recorded_outside_a_request_counts_against_the_token_budget_and_a_tight_wait_gives_up_quickly()
    {
        var limits = new GeminiRateLimitOptions { RequestsPerMinute = 0, TokensPerMinute = 1_000, Window = TimeSpan.FromSeconds(30), MaxWait = TimeSpan.FromSeconds(20) };
        var model = "live-usage-test-" + Guid.NewGuid().ToString("N")[..8];
        var connection = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        _connections.Add(connection);
        var limiter = new RedisGeminiRateLimiter(connection, limits, TimeProvider.System, NullLogger<RedisGeminiRateLimiter>.Instance);
        await limiter.AcquireAsync(model, 100, CancellationToken.None);

        await limiter.RecordAsync(model, 850, CancellationToken.None); // a Live call's turn, reported after the fact
        var started = Stopwatch.StartNew();
        var refused = await Assert.ThrowsAsync<GeminiRateLimitExceededException>(() => limiter.AcquireAsync(model, 100, CancellationToken.None, TimeSpan.FromMilliseconds(200)).AsTask());

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {started.Elapsed}");
        Assert.True(refused.RetryAfter > TimeSpan.FromSeconds(20), $"capacity expected in {refused.RetryAfter}");
    }

    [Fact]
    public async Task Token_budget_is_shared_and_counts_the_reported_usage()
    {
        var limits = new GeminiRateLimitOptions { RequestsPerMinute = 0, TokensPerMinute = 1000, Window = TimeSpan.FromSeconds(30), MaxWait = TimeSpan.FromMilliseconds(300) };
        var model = "tokens-test-" + Guid.NewGuid().ToString("N")[..8];
        var redis = await ConnectAsync();
        var limiter = new RedisGeminiRateLimiter(redis, limits, TimeProvider.System, NullLogger<RedisGeminiRateLimiter>.Instance);

        var lease = await limiter.AcquireAsync(model, 900, CancellationToken.None);
        await lease.CompleteAsync(15, CancellationToken.None); // the model used far less than estimated
        await limiter.AcquireAsync(model, 900, CancellationToken.None); // fits only because usage was corrected
        var error = await Assert.ThrowsAsync<GeminiRateLimitExceededException>(async () => await limiter.AcquireAsync(model, 200, CancellationToken.None));

        Assert.Equal(model, error.Model);
        Assert.True(error.RetryAfter > TimeSpan.FromSeconds(25), $"retry after {error.RetryAfter}");
    }

    [Fact]
    public async Task Exhausted_limit_fails_fast_with_a_typed_error_that_the_agent_turns_into_a_holding_line()
    {
        var limits = new GeminiRateLimitOptions { RequestsPerMinute = 1, TokensPerMinute = 0, Window = TimeSpan.FromMinutes(1), MaxWait = TimeSpan.FromMilliseconds(200) };
        var model = "exhausted-" + Guid.NewGuid().ToString("N")[..8];
        using var client = await LimitedClientAsync(limits, model);
        await client.GetResponseAsync("use up the only slot");
        var agent = new QualificationAgent(client, new GeminiEngine(GeminiMode.Vertex, model), new UnusedStore(), TimeProvider.System, NullLogger<QualificationAgent>.Instance);
        var campaign = new AgentCampaign { Id = Guid.NewGuid(), Name = "c", CompanyName = "Acme", Questions = [new AgentQuestion("need", "Do you need it?", AnswerKind.YesNo)] };
        var session = new AgentSession(new AgentContext(Guid.NewGuid(), campaign.Id, Guid.NewGuid()), new AgentScript(campaign, "Jane"), [], new ConversationState());
        QualificationAgent.Open(session);
        var stopwatch = Stopwatch.StartNew();

        var reply = await agent.ReplyAsync(session, "Yes we do", CancellationToken.None);

        Assert.Equal("rate_limited", reply.Degraded);
        Assert.Equal(AgentScript.HoldingLine, reply.Text);
        Assert.Equal(2, session.History.Count); // the lead's words stay out until they repeat them
        Assert.Single(_vertex.Requests);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"waited {stopwatch.Elapsed}");
    }

    private async Task<IChatClient> LimitedClientAsync(GeminiRateLimitOptions limits, string model)
    {
        var options = VertexTestClients.Options(_vertex);
        var limiter = new RedisGeminiRateLimiter(await ConnectAsync(), limits, TimeProvider.System, NullLogger<RedisGeminiRateLimiter>.Instance);
        return new RateLimitedChatClient(VertexTestClients.Create(_vertex, options), limiter, model);
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(servers.Redis.ConnectionString);
        _connections.Add(connection);
        return connection;
    }

    private sealed class UnusedStore : ILeadQualificationStore
    {
        public Task RecordDetailsAsync(AgentContext context, LeadDetails details, CancellationToken cancellationToken) => throw new InvalidOperationException("no tool should run");

        public Task ScheduleCallbackAsync(AgentContext context, DateTimeOffset at, string? note, CancellationToken cancellationToken) => throw new InvalidOperationException("no tool should run");

        public Task MarkDoNotCallAsync(AgentContext context, string reason, CancellationToken cancellationToken) => throw new InvalidOperationException("no tool should run");

        public Task RequestTransferAsync(AgentContext context, string reason, CancellationToken cancellationToken) => throw new InvalidOperationException("no tool should run");

        public Task EndAsync(AgentContext context, ConversationOutcome outcome, string? summary, CancellationToken cancellationToken) => throw new InvalidOperationException("no tool should run");
    }
}
