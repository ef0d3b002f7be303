namespace LeadGen.Core.Calls.Costs;

/// <summary>
/// Prices calls are costed with (configuration section <c>Pricing</c>): per model and per telephony provider, each a
/// list of prices with the date they take effect, so a price change applies to calls from that date on and older calls
/// keep the price they were made at. The shipped defaults are in <c>Calls/Costs/prices.json</c> (lowest-priority
/// configuration source: any host setting, e.g. <c>Pricing__Models__gemini-2.5-flash__0__InputPerMillion</c>, wins).
/// </summary>
public sealed class PriceTable
{
    public const string SectionName = "Pricing";

    /// <summary>When the shipped prices were last checked against the vendors' pages (shown with every cost).</summary>
    public string? CheckedOn { get; set; }

    /// <summary>Token prices by model name as stored on calls (<c>calls.model</c>).</summary>
    public Dictionary<string, List<ModelPrice>> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-minute prices by telephony provider as stored on calls (<c>calls.provider</c>).</summary>
    public Dictionary<string, List<TelephonyPrice>> Telephony { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ModelPrice? ModelAt(string? model, DateTimeOffset at) => model is null ? null : Latest(Models, model, at, price => price.EffectiveFrom);

    public TelephonyPrice? TelephonyAt(string provider, DateTimeOffset at) => Latest(Telephony, provider, at, price => price.EffectiveFrom);

    private static T? Latest<T>(Dictionary<string, List<T>> table, string name, DateTimeOffset at, Func<T, DateTimeOffset> from)
        where T : class =>
        table.TryGetValue(name, out var prices) ? prices.Where(price => from(price) <= at).MaxBy(from) : null;
}

/// <summary>USD per million tokens. Audio rates apply to calls whose conversation went to the model as audio.</summary>
public sealed class ModelPrice
{
    public DateTimeOffset EffectiveFrom { get; set; }

    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    /// <summary>Input rate for audio; null: the model is not priced differently for audio.</summary>
    public decimal? AudioInputPerMillion { get; set; }

    public decimal? AudioOutputPerMillion { get; set; }

    /// <summary>Where the price comes from (a URL, and how sure it is).</summary>
    public string? Source { get; set; }
}

/// <summary>USD per minute, billed per started minute (Twilio rounds every call up to the next minute).</summary>
public sealed class TelephonyPrice
{
    public DateTimeOffset EffectiveFrom { get; set; }

    public decimal OutboundPerMinute { get; set; }

    public decimal InboundPerMinute { get; set; }

    /// <summary>Added for native-audio calls (Twilio Media Streams).</summary>
    public decimal MediaStreamsPerMinute { get; set; }

    /// <summary>Added for conversation_relay calls (Twilio ConversationRelay, which includes its STT and TTS).</summary>
    public decimal ConversationRelayPerMinute { get; set; }

    public string? Source { get; set; }
}
