using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>
/// Reads and writes Media Streams JSON frames. Parsing never throws: a malformed or unknown frame becomes a
/// <see cref="MalformedEvent"/> the caller can log and skip. Used by the server and by the telephony simulator.
/// </summary>
public static class MediaStreamProtocol
{
    public static MediaStreamEvent Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String)
            {
                return new MalformedEvent("no event name");
            }

            var streamSid = String(root, "streamSid");
            return kind.GetString() switch
            {
                "connected" => new ConnectedEvent(String(root, "protocol"), String(root, "version")),
                "start" => ParseStart(root, streamSid),
                "media" => ParseMedia(root, streamSid),
                "dtmf" => Child(root, "dtmf") is { } dtmf && String(dtmf, "digit") is { Length: 1 } digit
                    ? new DtmfEvent(digit) : new MalformedEvent("dtmf without a digit"),
                "mark" => Child(root, "mark") is { } mark && String(mark, "name") is { } name
                    ? new MarkEvent(streamSid, name) : new MalformedEvent("mark without a name"),
                "clear" => new ClearEvent(streamSid),
                "stop" => new StopEvent(),
                var other => new MalformedEvent($"unknown event '{Truncate(other)}'"),
            };
        }
        catch (JsonException)
        {
            return new MalformedEvent("invalid JSON");
        }
        catch (FormatException)
        {
            return new MalformedEvent("invalid base64 payload");
        }
    }

    /// <summary>
    /// The fast path for the message that arrives 50 times a second: a <c>media</c> message's payload decoded into a
    /// reused buffer, read with the streaming reader (no DOM, no base64 string). False for any other message, and for a
    /// malformed one (<see cref="Parse"/> then says what is wrong with it).
    /// </summary>
    public static bool TryReadMediaPayload(ReadOnlySpan<byte> utf8Json, ref byte[] payload, out int length)
    {
        length = 0;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var isMedia = false;
            var hasPayload = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("media"u8))
                    {
                        return false;
                    }

                    isMedia = true;
                }
                else if (reader.ValueTextEquals("media"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isPayload = reader.ValueTextEquals("payload"u8);
                        reader.Read();
                        if (!isPayload)
                        {
                            reader.Skip();
                            continue;
                        }

                        if (reader.TokenType != JsonTokenType.String || !TryDecodeBase64(ref reader, ref payload, out length))
                        {
                            return false;
                        }

                        hasPayload = true;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return isMedia && hasPayload;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Us → Twilio <c>media</c>: only the documented fields (event, streamSid, media.payload).</summary>
    public static void WriteOutboundMedia(Utf8JsonWriter writer, string streamSid, ReadOnlySpan<byte> mulaw)
    {
        writer.WriteStartObject();
        writer.WriteString("event", "media");
        writer.WriteString("streamSid", streamSid);
        writer.WriteStartObject("media");
        writer.WriteBase64String("payload", mulaw);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Us → Twilio <c>mark</c>: event, streamSid, mark.name (Twilio echoes it once the audio before it has played).</summary>
    public static void WriteOutboundMark(Utf8JsonWriter writer, string streamSid, string name)
    {
        writer.WriteStartObject();
        writer.WriteString("event", "mark");
        writer.WriteString("streamSid", streamSid);
        writer.WriteStartObject("mark");
        writer.WriteString("name", name);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Us → Twilio <c>clear</c>: event, streamSid (drops the audio Twilio has buffered).</summary>
    public static void WriteOutboundClear(Utf8JsonWriter writer, string streamSid)
    {
        writer.WriteStartObject();
        writer.WriteString("event", "clear");
        writer.WriteString("streamSid", streamSid);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Twilio → us messages (connected, start, inbound media with track/chunk/timestamp, dtmf, mark, stop),
    /// as the telephony simulator sends them. Our own messages to Twilio use the WriteOutbound… methods.</summary>
    public static byte[] Write(MediaStreamEvent message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            switch (message)
            {
                case ConnectedEvent connected:
                    writer.WriteString("event", "connected");
                    writer.WriteString("protocol", connected.Protocol ?? "Call");
                    writer.WriteString("version", connected.Version ?? "1.0.0");
                    break;
                case StartEvent start:
                    writer.WriteString("event", "start");
                    writer.WriteString("streamSid", start.StreamSid);
                    writer.WriteStartObject("start");
                    writer.WriteString("streamSid", start.StreamSid);
                    writer.WriteString("accountSid", start.AccountSid);
                    writer.WriteString("callSid", start.CallSid);
                    writer.WriteStartArray("tracks");
                    writer.WriteStringValue("inbound");
                    writer.WriteEndArray();
                    writer.WriteStartObject("customParameters");
                    foreach (var parameter in start.CustomParameters)
                    {
                        writer.WriteString(parameter.Key, parameter.Value);
                    }

                    writer.WriteEndObject();
                    writer.WriteStartObject("mediaFormat");
                    writer.WriteString("encoding", start.Encoding ?? "audio/x-mulaw");
                    writer.WriteNumber("sampleRate", start.SampleRate);
                    writer.WriteNumber("channels", 1);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    break;
                case MediaEvent media:
                    writer.WriteString("event", "media");
                    writer.WriteString("streamSid", media.StreamSid);
                    writer.WriteStartObject("media");
                    writer.WriteString("track", "inbound");
                    writer.WriteString("chunk", media.Chunk.ToString(CultureInfo.InvariantCulture));
                    writer.WriteString("timestamp", media.TimestampMs.ToString(CultureInfo.InvariantCulture));
                    writer.WriteBase64String("payload", media.Payload);
                    writer.WriteEndObject();
                    break;
                case DtmfEvent dtmf:
                    writer.WriteString("event", "dtmf");
                    writer.WriteStartObject("dtmf");
                    writer.WriteString("track", "inbound_track");
                    writer.WriteString("digit", dtmf.Digit);
                    writer.WriteEndObject();
                    break;
                case MarkEvent mark:
                    writer.WriteString("event", "mark");
                    writer.WriteString("streamSid", mark.StreamSid);
                    writer.WriteStartObject("mark");
                    writer.WriteString("name", mark.Name);
                    writer.WriteEndObject();
                    break;
                case ClearEvent clear:
                    writer.WriteString("event", "clear");
                    writer.WriteString("streamSid", clear.StreamSid);
                    break;
                case StopEvent:
                    writer.WriteString("event", "stop");
                    break;
                default:
                    throw new ArgumentException($"Cannot write {message.GetType().Name}.", nameof(message));
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool TryDecodeBase64(ref Utf8JsonReader reader, ref byte[] destination, out int length)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var bytes = reader.GetBytesFromBase64(); // rare (an escaped '+' or '/'): the allocating path
            Grow(ref destination, bytes.Length);
            bytes.CopyTo(destination, 0);
            length = bytes.Length;
            return true;
        }

        var encoded = reader.ValueSpan;
        Grow(ref destination, Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
        return Base64.DecodeFromUtf8(encoded, destination, out _, out length) == OperationStatus.Done;
    }

    private static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new byte[length];
        }
    }

    private static StartEvent ParseStart(JsonElement root, string? streamSid)
    {
        var start = Child(root, "start");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (start is { } body && Child(body, "customParameters") is { } custom)
        {
            foreach (var property in custom.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    parameters[property.Name] = property.Value.GetString()!;
                }
            }
        }

        var format = start is { } s ? Child(s, "mediaFormat") : null;
        var sampleRate = format is { } f && f.TryGetProperty("sampleRate", out var rate) && rate.TryGetInt32(out var value) ? value : 8000;
        return new StartEvent(
            (start is { } b ? String(b, "streamSid") : null) ?? streamSid ?? string.Empty,
            start is { } c ? String(c, "callSid") : null,
            start is { } a ? String(a, "accountSid") : null,
            parameters,
            format is { } e ? String(e, "encoding") : null,
            sampleRate);
    }

    private static MediaStreamEvent ParseMedia(JsonElement root, string? streamSid)
    {
        if (Child(root, "media") is not { } media || !media.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.String)
        {
            return new MalformedEvent("media without a payload");
        }

        return new MediaEvent(streamSid, Number(media, "chunk"), Number(media, "timestamp"), payload.GetBytesFromBase64());
    }

    private static JsonElement? Child(JsonElement element, string name) =>
        element.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Twilio sends chunk and timestamp as decimal strings.</summary>
    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.String
            ? long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            : value.TryGetInt64(out parsed)) ? parsed : 0;

    private static string? Truncate(string? value) => value is { Length: > 32 } ? value[..32] : value;
}
