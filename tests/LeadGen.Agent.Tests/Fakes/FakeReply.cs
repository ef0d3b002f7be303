using System.Net;
using System.Text.Json.Nodes;

namespace LeadGen.Agent.Tests.Fakes;

/// <summary>A scripted Vertex answer, built in Vertex's response shapes.</summary>
public sealed record FakeReply
{
    public HttpStatusCode Status { get; init; } = HttpStatusCode.OK;

    public JsonObject? Body { get; init; }

    /// <summary>For streamGenerateContent: each element is one SSE <c>data:</c> event.</summary>
    public IReadOnlyList<JsonObject>? SseEvents { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public TimeSpan Delay { get; init; }

    /// <summary>For streams: a pause after the first event (a stream that stalls midway).</summary>
    public TimeSpan PauseAfterFirstEvent { get; init; }

    /// <summary>Signatures this reply hands out (function name → signature) that the next request must echo.</summary>
    public IReadOnlyDictionary<string, string> IssuedSignatures { get; init; } = new Dictionary<string, string>();

    public static FakeReply Text(string text, int promptTokens = 12, int outputTokens = 7, string finishReason = "STOP") => new()
    {
        Body = Response(new JsonArray(new JsonObject { ["text"] = text }), promptTokens, outputTokens, finishReason),
    };

    public static FakeReply FunctionCall(string name, JsonObject args, string? thoughtSignature = null, int promptTokens = 30, int outputTokens = 5)
    {
        var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = name, ["args"] = args } };
        if (thoughtSignature is not null)
        {
            part["thoughtSignature"] = thoughtSignature;
        }

        return new FakeReply
        {
            Body = Response(new JsonArray(part), promptTokens, outputTokens, "STOP"),
            IssuedSignatures = thoughtSignature is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [name] = thoughtSignature },
        };
    }

    /// <summary>Several function calls in one model turn (Vertex signs only the first).</summary>
    public static FakeReply FunctionCalls(string? thoughtSignature, params (string Name, JsonObject Args)[] calls)
    {
        var parts = new JsonArray();
        for (var i = 0; i < calls.Length; i++)
        {
            var part = new JsonObject { ["functionCall"] = new JsonObject { ["name"] = calls[i].Name, ["args"] = calls[i].Args } };
            if (i == 0 && thoughtSignature is not null)
            {
                part["thoughtSignature"] = thoughtSignature;
            }

            parts.Add(part);
        }

        return new FakeReply
        {
            Body = Response(parts, 40, 12, "STOP"),
            IssuedSignatures = thoughtSignature is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [calls[0].Name] = thoughtSignature },
        };
    }

    public static FakeReply Stream(params string[] chunks)
    {
        var events = new List<JsonObject>();
        for (var i = 0; i < chunks.Length; i++)
        {
            var last = i == chunks.Length - 1;
            var candidate = new JsonObject
            {
                ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(new JsonObject { ["text"] = chunks[i] }) },
            };
            if (last)
            {
                candidate["finishReason"] = "STOP";
            }

            var chunk = new JsonObject
            {
                ["candidates"] = new JsonArray(candidate),
                ["modelVersion"] = "gemini-2.5-flash",
                ["createTime"] = "2026-11-25T19:00:00.123456Z",
                ["responseId"] = "stream-response-1",
            };

            // Vertex sends usage on the final chunk (and sometimes a partial one before it).
            chunk["usageMetadata"] = last
                ? new JsonObject { ["promptTokenCount"] = 20, ["candidatesTokenCount"] = 9, ["totalTokenCount"] = 29, ["trafficType"] = "ON_DEMAND" }
                : new JsonObject { ["trafficType"] = "ON_DEMAND" };
            events.Add(chunk);
        }

        return new FakeReply { SseEvents = events };
    }

    public static FakeReply GoogleError(HttpStatusCode status, string googleStatus, string message, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        Status = status,
        Body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = (int)status,
                ["message"] = message,
                ["status"] = googleStatus,
            },
        },
        Headers = headers ?? new Dictionary<string, string>(),
    };

    private static JsonObject Response(JsonArray parts, int promptTokens, int outputTokens, string finishReason) => new()
    {
        ["candidates"] = new JsonArray(new JsonObject
        {
            ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts },
            ["finishReason"] = finishReason,
            ["avgLogprobs"] = -0.12,
        }),
        ["usageMetadata"] = new JsonObject
        {
            ["promptTokenCount"] = promptTokens,
            ["candidatesTokenCount"] = outputTokens,
            ["totalTokenCount"] = promptTokens + outputTokens,
            ["trafficType"] = "ON_DEMAND",
            ["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = promptTokens }),
        },
        ["modelVersion"] = "gemini-2.5-flash",
        ["createTime"] = "2026-11-25T19:00:00.123456Z",
        ["responseId"] = "resp-" + Guid.NewGuid().ToString("N")[..8],
    };
}
