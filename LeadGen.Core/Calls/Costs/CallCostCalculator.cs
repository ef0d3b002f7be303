using LeadGen.Core.Campaigns;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Calls.Costs;

/// <summary>What a call's cost depends on, as stored on the call (and its campaign's voice mode).</summary>
public sealed record CallUsage(
    string Provider,
    string Direction,
    string? Model,
    long InputTokens,
    long OutputTokens,
    int? DurationSeconds,
    string VoiceMode,
    DateTimeOffset At);

/// <param name="Unpriced">What had no price on the call's date (that part counts as 0 and is named here).</param>
/// <param name="InputUsdPerMillion">The input-token rate applied (null: the model had no price), so each turn's tokens can be priced alike.</param>
/// <param name="OutputUsdPerMillion">The output-token rate applied.</param>
public sealed record CallCost(
    decimal TotalUsd,
    decimal ModelUsd,
    decimal TelephonyUsd,
    int BilledMinutes,
    bool AudioTokens,
    IReadOnlyList<string> Unpriced,
    string? PricesCheckedOn,
    decimal? InputUsdPerMillion = null,
    decimal? OutputUsdPerMillion = null)
{
    /// <summary>What <paramref name="inputTokens"/> and <paramref name="outputTokens"/> (e.g. one turn's) cost at this call's rates; null when unpriced.</summary>
    public static decimal? TokensUsd(decimal? inputUsdPerMillion, decimal? outputUsdPerMillion, long inputTokens, long outputTokens) =>
        inputUsdPerMillion is { } input && outputUsdPerMillion is { } output
            ? decimal.Round(((inputTokens * input) + (outputTokens * output)) / 1_000_000m, 6)
            : null;
}

/// <summary>
/// Prices one call: its tokens at its model's price on the call's date (audio rates when the conversation went to the
/// model as audio, i.e. native_audio campaigns over a phone or browser), plus its telephony minutes — every started
/// minute, as Twilio bills — at the provider's rate for the call's direction, plus Media Streams (native audio) or
/// ConversationRelay (relay mode) per minute.
/// </summary>
public sealed class CallCostCalculator(IOptionsMonitor<PriceTable> prices)
{
    private const decimal Million = 1_000_000m;

    public CallCost Calculate(CallUsage usage)
    {
        var table = prices.CurrentValue;
        var unpriced = new List<string>();
        var audio = usage.VoiceMode == VoiceModes.NativeAudio && usage.Provider != Agent.Conversations.ConversationService.Provider;

        var modelUsd = 0m;
        decimal? inputRate = null, outputRate = null;
        if (table.ModelAt(usage.Model, usage.At) is { } model)
        {
            inputRate = audio ? model.AudioInputPerMillion ?? model.InputPerMillion : model.InputPerMillion;
            outputRate = audio ? model.AudioOutputPerMillion ?? model.OutputPerMillion : model.OutputPerMillion;
            modelUsd = ((usage.InputTokens * inputRate.Value) + (usage.OutputTokens * outputRate.Value)) / Million;
        }
        else if (usage.InputTokens + usage.OutputTokens > 0)
        {
            unpriced.Add($"model '{usage.Model ?? "unknown"}' has no price on {usage.At:yyyy-MM-dd} (Pricing:Models)");
        }

        var minutes = usage.DurationSeconds is > 0 and var seconds ? (int)Math.Ceiling(seconds / 60.0) : 0;
        var telephonyUsd = 0m;
        if (minutes > 0)
        {
            if (table.TelephonyAt(usage.Provider, usage.At) is { } rate)
            {
                var perMinute = (usage.Direction == CallDirections.Inbound ? rate.InboundPerMinute : rate.OutboundPerMinute)
                    + (usage.VoiceMode == VoiceModes.ConversationRelay ? rate.ConversationRelayPerMinute : rate.MediaStreamsPerMinute);
                telephonyUsd = minutes * perMinute;
            }
            else
            {
                unpriced.Add($"telephony provider '{usage.Provider}' has no price on {usage.At:yyyy-MM-dd} (Pricing:Telephony)");
            }
        }

        return new CallCost(
            decimal.Round(modelUsd + telephonyUsd, 6),
            decimal.Round(modelUsd, 6),
            decimal.Round(telephonyUsd, 6),
            minutes,
            audio,
            unpriced,
            table.CheckedOn,
            inputRate,
            outputRate);
    }
}
