using System.Text.Json.Serialization;

namespace LeadGen.Core.Calls.Realtime;

/// <summary>
/// Turn-taking for a realtime engine: how readily the caller's speech starts and ends a turn, and whether speech
/// interrupts the agent. Defaults suit phone audio (8 kHz, line noise): a low start sensitivity so hiss and breathing
/// do not cut the agent off, a high end sensitivity with a short silence so replies come quickly.
/// </summary>
/// <param name="StartSensitivity"><see cref="SpeechSensitivity.High"/>: speech is detected sooner (and noise more often).</param>
/// <param name="EndSensitivity"><see cref="SpeechSensitivity.High"/>: the turn ends sooner after the caller stops.</param>
/// <param name="PrefixPaddingMs">Speech needed before a start is committed (higher: fewer false starts).</param>
/// <param name="SilenceDurationMs">Silence that ends the caller's turn.</param>
/// <param name="InterruptOnSpeech">Whether the caller speaking cuts the agent off (barge-in).</param>
public sealed record RealtimeTurnTaking(
    SpeechSensitivity StartSensitivity = SpeechSensitivity.Low,
    SpeechSensitivity EndSensitivity = SpeechSensitivity.High,
    int PrefixPaddingMs = 100,
    int SilenceDurationMs = 500,
    bool InterruptOnSpeech = true)
{
    public static RealtimeTurnTaking PhoneDefaults { get; } = new();

    public const int MaxPrefixPaddingMs = 2000;

    public const int MinSilenceDurationMs = 100;

    public const int MaxSilenceDurationMs = 5000;
}

[JsonConverter(typeof(JsonStringEnumConverter<SpeechSensitivity>))]
public enum SpeechSensitivity
{
    [JsonStringEnumMemberName("low")]
    Low,

    [JsonStringEnumMemberName("high")]
    High,
}
