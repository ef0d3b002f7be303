namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary><c>Telephony:ConversationRelay</c>: Twilio's speech providers and how our side paces a relay call.</summary>
public sealed class ConversationRelayOptions
{
    public const string SectionName = "Telephony:ConversationRelay";

    /// <summary>Text-to-speech provider named in the TwiML (Twilio: ElevenLabs, Google or Amazon).</summary>
    public string TtsProvider { get; set; } = "ElevenLabs";

    /// <summary>Speech-to-text provider named in the TwiML (Twilio: Deepgram or Google).</summary>
    public string TranscriptionProvider { get; set; } = "Deepgram";

    /// <summary>
    /// Speaking rate used to estimate how long Twilio takes to say a reply (we get no playback marks in this mode):
    /// the goodbye is given this long to play before we end the session, and silence is timed from its end.
    /// </summary>
    public double WordsPerMinute { get; set; } = 160;

    /// <summary>No words from the caller for this long after the agent finished: ask once whether they are there, then end.</summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Upper bound on the playback wait before ending the session (a long goodbye never holds the line).</summary>
    public TimeSpan MaxGoodbyeWait { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Playout(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var seconds = WordsPerMinute <= 0 ? 0 : words * 60.0 / WordsPerMinute;
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxGoodbyeWait.TotalSeconds));
    }
}
