using System.Diagnostics.Metrics;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// GenAI token metrics for Live calls on the same meter, instrument and attributes as the text client's OpenTelemetry
/// pipeline (<see cref="GeminiChatClientFactory.TelemetrySourceName"/>: <c>gen_ai.client.token.usage</c>, unit
/// <c>{token}</c>, <c>gen_ai.operation.name</c>=chat, <c>gen_ai.provider.name</c>=gcp.vertex_ai,
/// <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>, <c>gen_ai.token.type</c>=input|output), so one token
/// query or alert sees text and voice together.
/// </summary>
public sealed class LiveTelemetry
{
    private readonly Histogram<int> _tokens;

    public LiveTelemetry(IMeterFactory meterFactory)
    {
        _tokens = meterFactory.Create(GeminiChatClientFactory.TelemetrySourceName).CreateHistogram<int>("gen_ai.client.token.usage", unit: "{token}", description: "Measures number of input and output tokens used");
    }

    public void Record(string model, LiveUsage usage)
    {
        Record(model, usage.InputTokens, "input");
        Record(model, usage.OutputTokens, "output");
    }

    private void Record(string model, long tokens, string type)
    {
        if (tokens <= 0)
        {
            return;
        }

        _tokens.Record(
            (int)Math.Min(int.MaxValue, tokens),
            new KeyValuePair<string, object?>("gen_ai.operation.name", "chat"),
            new KeyValuePair<string, object?>("gen_ai.provider.name", Vertex.VertexChatClient.ProviderName),
            new KeyValuePair<string, object?>("gen_ai.request.model", model),
            new KeyValuePair<string, object?>("gen_ai.response.model", model),
            new KeyValuePair<string, object?>("gen_ai.token.type", type));
    }
}
