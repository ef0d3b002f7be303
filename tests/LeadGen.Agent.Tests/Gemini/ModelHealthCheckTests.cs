using LeadGen.Agent.Tests.Fakes;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Agent.Tests.Gemini;

/// <summary>The startup/readiness check that the configured models exist, against the fake Model Garden endpoint.</summary>
public sealed class ModelHealthCheckTests : IAsyncLifetime
{
    private FakeVertexServer _vertex = null!;

    public async ValueTask InitializeAsync() =>
        _vertex = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "europe-west4", VertexTestClients.Model, VertexTestClients.Token));

    public async ValueTask DisposeAsync() => await _vertex.DisposeAsync();

    private GeminiModelHealthCheck Check(TimeProvider time, params GeminiModelSetting[] models) => new(
        VertexTestClients.Options(_vertex), models, new HttpClient(), VertexTestClients.TokenAuthenticator(), time, NullLogger<GeminiModelHealthCheck>.Instance);

    [Fact]
    public async Task Existing_models_are_healthy_and_the_verdict_is_reused_until_it_expires()
    {
        _vertex.PublisherModels.Add("live-model-ok");
        var time = new FakeTimeProvider();
        var check = Check(time, new("Gemini:Model", VertexTestClients.Model), new("Gemini:LiveModel", "live-model-ok"));

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        await check.CheckHealthAsync(new HealthCheckContext());
        time.Advance(GeminiModelHealthCheck.RecheckAfter);
        await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, first.Status);
        Assert.Equal(4, _vertex.MetadataPaths.Count(path => path.StartsWith("GET /v1/publishers/google/models/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_retired_model_fails_the_check_naming_the_setting_to_change()
    {
        var check = Check(TimeProvider.System, new("Gemini:Model", VertexTestClients.Model), new("Gemini:LiveModel", "gemini-live-2.5-flash"));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("'gemini-live-2.5-flash' is retired or unknown", result.Description, StringComparison.Ordinal);
        Assert.Contains("set Gemini:LiveModel (environment Gemini__LiveModel)", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Gemini:Model ", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_check_cannot_decide_it_degrades_instead_of_failing_and_offline_has_nothing_to_check()
    {
        var unreachable = new GeminiModelHealthCheck(
            VertexTestClients.Options(_vertex),
            [new("Gemini:Model", VertexTestClients.Model)],
            new HttpClient(),
            VertexTestClients.TokenAuthenticator("wrong-token"),
            TimeProvider.System,
            NullLogger<GeminiModelHealthCheck>.Instance);
        var offline = new GeminiModelHealthCheck(new GeminiOptions { Mode = "offline" }, [], new HttpClient(), null, TimeProvider.System, NullLogger<GeminiModelHealthCheck>.Instance);

        Assert.Equal(HealthStatus.Degraded, (await unreachable.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal(HealthStatus.Healthy, (await offline.CheckHealthAsync(new HealthCheckContext())).Status);
    }
}
