using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini.Vertex;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// The Live API's JSON messages (camelCase proto JSON). Client → server: <c>setup</c>, <c>realtimeInput</c>,
/// <c>clientContent</c>, <c>toolResponse</c>. Server → client: <c>setupComplete</c>, <c>serverContent</c>
/// (modelTurn audio, input/outputTranscription, generationComplete, interrupted, turnComplete), <c>toolCall</c>,
/// <c>toolCallCancellation</c>, <c>usageMetadata</c>, <c>goAway</c>, <c>sessionResumptionUpdate</c> — as Vertex AI's
/// Live API reference (BidiGenerateContent) documents them. This file writes the client's messages; reading the
/// server's is in <c>GeminiLiveWire.Read.cs</c>.
/// </summary>
public static partial class GeminiLiveWire
{
    public const string InputMimeType = "audio/pcm;rate=16000";

    /// <summary>Native audio models take 16 kHz and speak 24 kHz PCM16.</summary>
    public static EngineAudioFormat AudioFormat { get; } = new(16000, 24000);

    public static byte[] Setup(string model, RealtimeSessionRequest request, string? resumptionHandle, GeminiLiveOptions? live = null)
    {
        live ??= new GeminiLiveOptions();
        var declarations = new JsonArray();
        foreach (var tool in request.Tools)
        {
            declarations.Add(new JsonObject
            {
                ["name"] = tool.Name,
                ["description"] = tool.Description,
                // The seam carries standard JSON Schema; the Live API takes the same OpenAPI subset as the REST API.
                ["parameters"] = VertexSchema.Convert(JsonSerializer.SerializeToElement(tool.ParametersSchema)) ?? [],
            });
        }

        // speechConfig.languageCode makes the model speak (and the output transcription come in) the campaign's language.
        var speechConfig = new JsonObject { ["languageCode"] = request.Language };
        if (!string.IsNullOrEmpty(request.Voice))
        {
            speechConfig["voiceConfig"] = new JsonObject { ["prebuiltVoiceConfig"] = new JsonObject { ["voiceName"] = request.Voice } };
        }

        var resumption = new JsonObject();
        if (resumptionHandle is not null)
        {
            resumption["handle"] = resumptionHandle;
        }

        if (live.TransparentResumption)
        {
            // Vertex only: each sessionResumptionUpdate then says which of our messages the server has consumed, so a
            // reconnect can replay the caller audio the old connection had not yet taken in.
            resumption["transparent"] = true;
        }

        var slidingWindow = new JsonObject();
        if (live.CompressionTargetTokens is { } target)
        {
            slidingWindow["targetTokens"] = target;
        }

        var compression = new JsonObject { ["slidingWindow"] = slidingWindow };
        if (live.CompressionTriggerTokens is { } trigger)
        {
            compression["triggerTokens"] = trigger;
        }

        var setup = new JsonObject
        {
            ["model"] = model,
            ["generationConfig"] = new JsonObject { ["responseModalities"] = new JsonArray("AUDIO"), ["speechConfig"] = speechConfig },
            ["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = request.SystemInstruction }) },
            ["realtimeInputConfig"] = RealtimeInputConfig(request.TurnTaking ?? RealtimeTurnTaking.PhoneDefaults),
            ["inputAudioTranscription"] = new JsonObject(),
            ["outputAudioTranscription"] = new JsonObject(),
            ["sessionResumption"] = resumption,
            ["contextWindowCompression"] = compression,
        };
        if (declarations.Count > 0)
        {
            setup["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["setup"] = setup });
    }

    private static JsonObject RealtimeInputConfig(RealtimeTurnTaking turnTaking) => new()
    {
        ["automaticActivityDetection"] = new JsonObject
        {
            ["startOfSpeechSensitivity"] = turnTaking.StartSensitivity == SpeechSensitivity.High ? "START_SENSITIVITY_HIGH" : "START_SENSITIVITY_LOW",
            ["endOfSpeechSensitivity"] = turnTaking.EndSensitivity == SpeechSensitivity.High ? "END_SENSITIVITY_HIGH" : "END_SENSITIVITY_LOW",
            ["prefixPaddingMs"] = turnTaking.PrefixPaddingMs,
            ["silenceDurationMs"] = turnTaking.SilenceDurationMs,
        },
        ["activityHandling"] = turnTaking.InterruptOnSpeech ? "START_OF_ACTIVITY_INTERRUPTS" : "NO_INTERRUPTION",
    };

    /// <summary>Hot path (50 messages a second per call): written directly, no DOM.</summary>
    public static byte[] Audio(ReadOnlySpan<byte> pcm16k)
    {
        var buffer = new ArrayBufferWriter<byte>(pcm16k.Length * 4 / 3 + 96);
        using var writer = new Utf8JsonWriter(buffer);
        WriteAudio(writer, pcm16k);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the audio message with a caller-owned (reused) writer: no allocation per frame.</summary>
    public static void WriteAudio(Utf8JsonWriter writer, ReadOnlySpan<byte> pcm16k)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("realtimeInput");
        writer.WriteStartObject("audio");
        writer.WriteString("mimeType", InputMimeType);
        writer.WriteBase64String("data", pcm16k);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    public static byte[] Text(string text) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["clientContent"] = new JsonObject
        {
            ["turns"] = new JsonArray(new JsonObject
            {
                ["role"] = "user",
                ["parts"] = new JsonArray(new JsonObject { ["text"] = text }),
            }),
            ["turnComplete"] = true,
        },
    });

    public static byte[] ToolResponse(IReadOnlyList<RealtimeToolResult> results)
    {
        var responses = new JsonArray();
        foreach (var result in results)
        {
            responses.Add(new JsonObject { ["id"] = result.Id, ["name"] = result.Name, ["response"] = result.Response.DeepClone() });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["toolResponse"] = new JsonObject { ["functionResponses"] = responses } });
    }
}
