using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Gemini.Live;

/// <summary>Reading the server's messages (the other half of <see cref="GeminiLiveWire"/>).</summary>
public static partial class GeminiLiveWire
{
    /// <summary>Translates one server message; control messages are reported through <see cref="ServerMessage"/>.</summary>
    /// <remarks>
    /// Hot path: a model audio chunk (25 a second per call) is read with the streaming reader, in place, and its base64
    /// decoded straight from the message (a <see cref="JsonDocument"/> per chunk cost about a third of the chunk's
    /// parsing). The rarer parts (tool calls, usage, resumption) are read as elements. Events come out in a fixed order
    /// whatever the order of the message's fields: what the caller said, the agent's audio and words, the end of
    /// generation, an interruption, the end of the turn, tool calls, cancellations, usage.
    /// </remarks>
    public static ServerMessage Parse(ReadOnlySpan<byte> utf8Json)
    {
        var events = new List<RealtimeEvent>();
        var message = new ServerMessage(events);
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return message;
        }

        List<RealtimeEvent>? later = null; // tool calls, cancellations and usage: after the content's events
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("serverContent"u8))
            {
                reader.Read();
                ReadServerContent(ref reader, events);
                continue;
            }

            if (reader.ValueTextEquals("setupComplete"u8))
            {
                message.SetupComplete = true;
            }
            else if (reader.ValueTextEquals("goAway"u8))
            {
                message.GoAway = true;
            }
            else if (reader.ValueTextEquals("toolCall"u8))
            {
                reader.Read();
                ReadToolCall(JsonElement.ParseValue(ref reader), later ??= []);
                continue;
            }
            else if (reader.ValueTextEquals("toolCallCancellation"u8))
            {
                reader.Read();
                if (JsonElement.ParseValue(ref reader) is { ValueKind: JsonValueKind.Object } cancellation
                    && cancellation.TryGetProperty("ids", out var ids)
                    && ids.ValueKind == JsonValueKind.Array)
                {
                    (later ??= []).Add(new ToolCallsCancelled([.. ids.EnumerateArray().Select(id => id.GetString() ?? string.Empty)]));
                }

                continue;
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                reader.Read();
                if (JsonElement.ParseValue(ref reader) is { ValueKind: JsonValueKind.Object } usage)
                {
                    message.Usage = LiveUsage.Read(usage);
                }

                continue;
            }
            else if (reader.ValueTextEquals("sessionResumptionUpdate"u8))
            {
                reader.Read();
                ReadResumptionUpdate(JsonElement.ParseValue(ref reader), message);
                continue;
            }

            SkipValue(ref reader);
        }

        if (later is not null)
        {
            events.AddRange(later);
        }

        if (message.Usage is { } read)
        {
            events.Add(read.ToEvent());
        }

        return message;
    }

    /// <summary>At the value of <c>serverContent</c>; leaves the reader on its last token.</summary>
    private static void ReadServerContent(ref Utf8JsonReader reader, List<RealtimeEvent> events)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        string? heard = null, said = null;
        bool generationComplete = false, interrupted = false, turnComplete = false;
        List<RealtimeEvent>? audio = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("modelTurn"u8))
            {
                reader.Read();
                ReadModelTurn(ref reader, ref audio);
            }
            else if (reader.ValueTextEquals("inputTranscription"u8))
            {
                reader.Read();
                heard = ReadTranscriptionText(ref reader);
            }
            else if (reader.ValueTextEquals("outputTranscription"u8))
            {
                reader.Read();
                said = ReadTranscriptionText(ref reader);
            }
            else if (reader.ValueTextEquals("generationComplete"u8))
            {
                generationComplete = ReadFlag(ref reader);
            }
            else if (reader.ValueTextEquals("interrupted"u8))
            {
                interrupted = ReadFlag(ref reader);
            }
            else if (reader.ValueTextEquals("turnComplete"u8))
            {
                turnComplete = ReadFlag(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (heard is { Length: > 0 })
        {
            events.Add(new CallerTranscript(heard));
        }

        if (audio is not null)
        {
            events.AddRange(audio);
        }

        if (said is { Length: > 0 })
        {
            events.Add(new AgentTranscript(said));
        }

        if (generationComplete)
        {
            events.Add(new AgentGenerationComplete());
        }

        if (interrupted)
        {
            events.Add(new AgentInterrupted());
        }

        if (turnComplete)
        {
            events.Add(new AgentTurnComplete());
        }
    }

    /// <summary><c>modelTurn.parts[].inlineData</c>: PCM audio (a part without a MIME type is taken as audio, as before).</summary>
    private static void ReadModelTurn(ref Utf8JsonReader reader, ref List<RealtimeEvent>? audio)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isParts = reader.ValueTextEquals("parts"u8);
            reader.Read();
            if (!isParts || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isInline = reader.ValueTextEquals("inlineData"u8);
                    reader.Read();
                    if (isInline && reader.TokenType == JsonTokenType.StartObject && ReadInlineAudio(ref reader) is { } pcm)
                    {
                        (audio ??= []).Add(new AgentAudio(pcm));
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
    }

    /// <summary>At the start of an <c>inlineData</c> object; returns its decoded data when it is PCM audio, and ends on its last token.</summary>
    private static byte[]? ReadInlineAudio(ref Utf8JsonReader reader)
    {
        byte[]? data = null;
        var isAudio = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = reader.TokenType == JsonTokenType.String ? reader.GetBytesFromBase64() : null;
            }
            else if (reader.ValueTextEquals("mimeType"u8))
            {
                reader.Read();
                isAudio = reader.TokenType == JsonTokenType.String && StartsWith(ref reader, "audio/pcm"u8);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return isAudio ? data : null;
    }

    /// <summary>At a string; whether it starts with the ASCII <paramref name="prefix"/> (unescaped first when it has escapes).</summary>
    private static bool StartsWith(ref Utf8JsonReader reader, ReadOnlySpan<byte> prefix) =>
        reader.ValueIsEscaped
            ? reader.GetString()?.StartsWith(Encoding.ASCII.GetString(prefix), StringComparison.Ordinal) == true
            : reader.ValueSpan.StartsWith(prefix);

    /// <summary>At a property name: reads its value, true only for the JSON literal <c>true</c>.</summary>
    private static bool ReadFlag(ref Utf8JsonReader reader)
    {
        reader.Read();
        var isTrue = reader.TokenType == JsonTokenType.True;
        reader.Skip();
        return isTrue;
    }

    /// <summary>At a property name: skips its value, whatever it is.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>At a transcription's value; its <c>text</c>, or null.</summary>
    private static string? ReadTranscriptionText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
            {
                text = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return text;
    }

    private static void ReadToolCall(JsonElement toolCall, List<RealtimeEvent> events)
    {
        if (toolCall.ValueKind != JsonValueKind.Object || !toolCall.TryGetProperty("functionCalls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var requested = new List<RealtimeToolCall>();
        foreach (var call in calls.EnumerateArray())
        {
            var arguments = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(args.GetRawText())!.AsObject()
                : [];
            requested.Add(new RealtimeToolCall(
                call.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty,
                call.TryGetProperty("name", out var name) ? name.GetString() ?? string.Empty : string.Empty,
                arguments));
        }

        events.Add(new ToolCallsRequested(requested));
    }

    private static void ReadResumptionUpdate(JsonElement update, ServerMessage message)
    {
        if (update.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (IsTrue(update, "resumable") && update.TryGetProperty("newHandle", out var handle) && handle.GetString() is { Length: > 0 } newHandle)
        {
            message.ResumptionHandle = newHandle;
        }

        if (update.TryGetProperty("lastConsumedClientMessageIndex", out var consumed) && LiveUsage.ReadInt64(consumed) is { } index)
        {
            message.LastConsumedClientMessageIndex = index;
        }
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}

public sealed class ServerMessage(IReadOnlyList<RealtimeEvent> events)
{
    public IReadOnlyList<RealtimeEvent> Events { get; } = events;

    public bool SetupComplete { get; set; }

    public bool GoAway { get; set; }

    public string? ResumptionHandle { get; set; }

    /// <summary>Transparent resumption: the index (0-based, counting every client message after setup) of the last message the server consumed.</summary>
    public long? LastConsumedClientMessageIndex { get; set; }

    public LiveUsage? Usage { get; set; }
}
