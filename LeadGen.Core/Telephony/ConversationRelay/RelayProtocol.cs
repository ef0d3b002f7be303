using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// The JSON of ConversationRelay's WebSocket messages, as Twilio documents them (every message is an object with a
/// <c>type</c>; camelCase fields). Parsing is lenient where Twilio is inconsistent (<c>durationUntilInterruptMs</c> is a
/// number in some examples and a string in others) and strict about what a message needs.
/// </summary>
public static class RelayProtocol
{
    public static RelayMessage Parse(ReadOnlySpan<byte> utf8)
    {
        JsonObject message;
        try
        {
            if (JsonNode.Parse(utf8) is not JsonObject parsed)
            {
                return new RelayMalformed("not a JSON object");
            }

            message = parsed;
        }
        catch (JsonException)
        {
            return new RelayMalformed("not JSON");
        }

        try
        {
            return String(message, "type") switch
            {
                "setup" => new RelaySetup(
                    Required(message, "sessionId"),
                    Required(message, "callSid"),
                    String(message, "accountSid"),
                    String(message, "from"),
                    String(message, "to"),
                    String(message, "direction"),
                    String(message, "callStatus"),
                    message["customParameters"] is JsonObject custom
                        ? custom.Where(pair => pair.Value is JsonValue).ToDictionary(pair => pair.Key, pair => Scalar(pair.Value!))
                        : new Dictionary<string, string>()),
                "prompt" => new RelayPrompt(Required(message, "voicePrompt", allowEmpty: true), String(message, "lang"), Bool(message, "last") ?? true),
                "interrupt" => new RelayInterrupt(String(message, "utteranceUntilInterrupt") ?? string.Empty, Int(message, "durationUntilInterruptMs") ?? 0),
                "dtmf" => new RelayDtmf(Required(message, "digit")),
                "error" => new RelayError(String(message, "description") ?? string.Empty),
                "text" => new RelayText(Required(message, "token", allowEmpty: true), Bool(message, "last") ?? false, String(message, "lang"), Bool(message, "interruptible"), Bool(message, "preemptible")),
                "play" => new RelayPlay(Required(message, "source"), Int(message, "loop"), Bool(message, "interruptible"), Bool(message, "preemptible")),
                "sendDigits" => new RelaySendDigits(Required(message, "digits")),
                "language" => new RelayLanguage(String(message, "ttsLanguage"), String(message, "transcriptionLanguage")),
                "end" => new RelayEnd(String(message, "handoffData")),
                null => new RelayMalformed("no type"),
                var other => new RelayMalformed($"unknown type '{other}'"),
            };
        }
        catch (FormatException exception)
        {
            return new RelayMalformed(exception.Message);
        }
    }

    public static byte[] Write(RelayMessage message)
    {
        var json = message switch
        {
            RelaySetup setup => Object("setup", new()
            {
                ["sessionId"] = setup.SessionId,
                ["accountSid"] = setup.AccountSid,
                ["callSid"] = setup.CallSid,
                ["from"] = setup.From,
                ["to"] = setup.To,
                ["direction"] = setup.Direction,
                ["callStatus"] = setup.CallStatus,
                ["customParameters"] = new JsonObject(setup.CustomParameters.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
            }),
            RelayPrompt prompt => Object("prompt", new() { ["voicePrompt"] = prompt.VoicePrompt, ["lang"] = prompt.Lang, ["last"] = prompt.Last }),
            RelayInterrupt interrupt => Object("interrupt", new() { ["utteranceUntilInterrupt"] = interrupt.UtteranceUntilInterrupt, ["durationUntilInterruptMs"] = interrupt.DurationUntilInterruptMs }),
            RelayDtmf dtmf => Object("dtmf", new() { ["digit"] = dtmf.Digit }),
            RelayError error => Object("error", new() { ["description"] = error.Description }),
            RelayText text => Object("text", new() { ["token"] = text.Token, ["last"] = text.Last, ["lang"] = text.Lang, ["interruptible"] = text.Interruptible, ["preemptible"] = text.Preemptible }),
            RelayPlay play => Object("play", new() { ["source"] = play.Source, ["loop"] = play.Loop, ["interruptible"] = play.Interruptible, ["preemptible"] = play.Preemptible }),
            RelaySendDigits digits => Object("sendDigits", new() { ["digits"] = digits.Digits }),
            RelayLanguage language => Object("language", new() { ["ttsLanguage"] = language.TtsLanguage, ["transcriptionLanguage"] = language.TranscriptionLanguage }),
            RelayEnd end => Object("end", new() { ["handoffData"] = end.HandoffData }),
            _ => throw new ArgumentException($"{message.GetType().Name} is not a ConversationRelay message.", nameof(message)),
        };
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>Optional fields that are null are left out, as Twilio's examples do.</summary>
    private static JsonObject Object(string type, Dictionary<string, JsonNode?> fields)
    {
        var json = new JsonObject { ["type"] = type };
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                json[name] = value;
            }
        }

        return json;
    }

    private static string? String(JsonObject message, string name) => message[name] is JsonValue value ? Scalar(value) : null;

    private static string Required(JsonObject message, string name, bool allowEmpty = false)
    {
        var value = String(message, name);
        return value is null || (!allowEmpty && value.Length == 0) ? throw new FormatException($"'{name}' is required") : value;
    }

    private static bool? Bool(JsonObject message, string name) => message[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) => parsed,
        _ => throw new FormatException($"'{name}' must be true or false"),
    };

    private static int? Int(JsonObject message, string name) => message[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<double>(out var real) => (int)real,
        JsonValue value when value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new FormatException($"'{name}' must be a number"),
    };

    private static string Scalar(JsonNode value) => value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
