using System.Globalization;
using System.Text.Json;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// A Live server message's <c>usageMetadata</c>: what one model turn used (the Live API reports per turn; each turn's
/// prompt count includes the conversation so far, which is what is billed). Input counts the prompt and tool-use prompt,
/// output the response and thinking; the modality breakdown (<c>promptTokensDetails</c>/<c>responseTokensDetails</c>,
/// entries <c>{"modality":"AUDIO","tokenCount":n}</c>) separates audio from text, which are priced differently.
/// </summary>
public sealed record LiveUsage(long InputTokens, long OutputTokens, long InputAudioTokens, long OutputAudioTokens)
{
    public static LiveUsage Read(JsonElement usage)
    {
        var prompt = Count(usage, "promptTokenCount") + Count(usage, "toolUsePromptTokenCount");
        // Live messages name the output responseTokenCount; accept the REST name too, should a server send it.
        var response = (usage.TryGetProperty("responseTokenCount", out _) ? Count(usage, "responseTokenCount") : Count(usage, "candidatesTokenCount"))
            + Count(usage, "thoughtsTokenCount");
        return new LiveUsage(prompt, response, Audio(usage, "promptTokensDetails"), Audio(usage, "responseTokensDetails"));
    }

    public EngineUsage ToEvent() => new(InputTokens, OutputTokens, InputAudioTokens, OutputAudioTokens);

    /// <summary>Proto JSON writes int64 as a string and int32 as a number; take either.</summary>
    public static long? ReadInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static long Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && ReadInt64(value) is { } count && count > 0 ? count : 0;

    private static long Audio(JsonElement usage, string name)
    {
        if (!usage.TryGetProperty(name, out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long total = 0;
        foreach (var entry in details.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("modality", out var modality) && modality.GetString() == "AUDIO")
            {
                total += Count(entry, "tokenCount");
            }
        }

        return total;
    }
}
