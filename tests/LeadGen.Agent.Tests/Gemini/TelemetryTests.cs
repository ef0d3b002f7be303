using System.Diagnostics;
using System.Diagnostics.Metrics;
using LeadGen.Agent.Tests.Fakes;
using LeadGen.Core.Gemini;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Agent.Tests.Gemini;

/// <summary>The composed pipeline reports GenAI semantic-convention telemetry on LeadGen.Gemini (the seed's token alert reads it).</summary>
/// <remarks>In the servers collection only to run apart from the conversation tests, which emit on the same source.</remarks>
[Collection(ServersCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private FakeVertexServer _vertex = null!;

    public async ValueTask InitializeAsync() =>
        _vertex = await FakeVertexServer.StartAsync(new FakeVertexExpectations(VertexTestClients.Project, "europe-west4", VertexTestClients.Model, VertexTestClients.Token));

    public async ValueTask DisposeAsync() => await _vertex.DisposeAsync();

    [Fact]
    public async Task Token_usage_and_duration_metrics_and_a_chat_span_are_emitted()
    {
        _vertex.Enqueue(FakeReply.Text("Hello", promptTokens: 21, outputTokens: 6));
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, long Value, string? TokenType)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GeminiChatClientFactory.TelemetrySourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, TokenType(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, TokenType(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, (long)value, TokenType(tags))));
        listener.Start();
        var spans = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GeminiChatClientFactory.TelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(activityListener);
        var engine = VertexTestClients.Create(_vertex, VertexTestClients.Options(_vertex));
        // Registered as the hosts do (AddChatClient + the LeadGen pipeline), without a rate limiter.
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new GeminiEngine(GeminiMode.Vertex, VertexTestClients.Model));
        services.AddChatClient(engine).UseLeadGenPipeline();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        await client.GetResponseAsync("Hi");

        Assert.Contains(("gen_ai.client.token.usage", 21L, "input"), measurements);
        Assert.Contains(("gen_ai.client.token.usage", 6L, "output"), measurements);
        Assert.Contains(measurements, measurement => measurement.Instrument == "gen_ai.client.operation.duration");
        var span = Assert.Single(spans, activity => activity.OperationName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal(VertexTestClients.Model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(21, Convert.ToInt32(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string? TokenType(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "gen_ai.token.type")
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
