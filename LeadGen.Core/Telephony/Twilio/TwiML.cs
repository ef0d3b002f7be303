using Twilio.TwiML;
using Twilio.TwiML.Voice;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>The TwiML documents the voice API answers with (built with the Twilio SDK so they are always well-formed).</summary>
public static class TwiML
{
    public const string StreamTokenParameter = "token";

    /// <summary>Bridges the call to our media WebSocket; the short-lived token authorises exactly this call's stream.</summary>
    public static string ConnectStream(Uri streamUrl, string token)
    {
        var stream = new global::Twilio.TwiML.Voice.Stream(url: streamUrl.ToString());
        stream.Parameter(name: StreamTokenParameter, value: token);
        var connect = new Connect();
        connect.Append(stream);
        return new VoiceResponse().Append(connect).ToString();
    }

    public static string SayAndHangUp(string message) => new VoiceResponse().Say(message).Hangup().ToString();

    /// <summary>Says <paramref name="message"/> in <paramref name="language"/> (BCP-47, e.g. es-US), then hangs up.</summary>
    public static string SayAndHangUp(string message, string language) => new VoiceResponse().Say(message, language: language).Hangup().ToString();

    public static string HangUp() => new VoiceResponse().Hangup().ToString();

    /// <summary>Hands the live call to a human (replaces the stream).</summary>
    public static string Dial(string number, string? announcement = null)
    {
        var response = new VoiceResponse();
        if (!string.IsNullOrWhiteSpace(announcement))
        {
            response.Say(announcement);
        }

        return response.Dial(number).ToString();
    }
}
