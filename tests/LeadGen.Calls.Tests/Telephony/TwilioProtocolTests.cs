using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Simulator;
using Twilio.Security;

namespace LeadGen.Calls.Tests.Telephony;

public sealed class TwilioProtocolTests
{
    [Fact]
    public void The_simulator_signs_webhooks_exactly_as_the_Twilio_SDK_validates_them()
    {
        const string url = "https://voice.example.com/telephony/twilio/voice?callId=42";
        var form = new Dictionary<string, string> { ["CallSid"] = "CA123", ["From"] = "+15550100001", ["To"] = "+15550100002", ["CallStatus"] = "ringing" };

        var signature = TwilioRequestSigner.Sign("secret-token", url, form);

        Assert.True(new RequestValidator("secret-token").Validate(url, form, signature));
        Assert.False(new RequestValidator("other-token").Validate(url, form, signature));
        Assert.False(new RequestValidator("secret-token").Validate(url + "&x=1", form, signature));
    }

    [Fact]
    public void Media_stream_messages_round_trip_through_the_wire_format()
    {
        var start = (StartEvent)MediaStreamProtocol.Parse(MediaStreamProtocol.Write(
            new StartEvent("MZ1", "CA1", "AC1", new Dictionary<string, string> { ["token"] = "t" }, "audio/x-mulaw", 8000)));
        var media = (MediaEvent)MediaStreamProtocol.Parse(MediaStreamProtocol.Write(new MediaEvent("MZ1", 7, 140, [1, 2, 3])));
        var mark = (MarkEvent)MediaStreamProtocol.Parse(MediaStreamProtocol.Write(new MarkEvent("MZ1", "3:400:end")));

        Assert.Equal(("MZ1", "CA1", "t", 8000), (start.StreamSid, start.CallSid, start.CustomParameters["token"], start.SampleRate));
        Assert.Equal(new byte[] { 1, 2, 3 }, media.Payload);
        Assert.Equal(7, media.Chunk);
        Assert.Equal("3:400:end", mark.Name);
        Assert.IsType<ClearEvent>(MediaStreamProtocol.Parse(MediaStreamProtocol.Write(new ClearEvent("MZ1"))));
        Assert.IsType<DtmfEvent>(MediaStreamProtocol.Parse("""{"event":"dtmf","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"9"}}"""u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"event":null}""")]
    [InlineData("""{"event":"media","media":{"payload":"***"}}""")]
    [InlineData("""{"event":"media","media":{"payload":5}}""")]
    [InlineData("""{"event":"dtmf","dtmf":{}}""")]
    [InlineData("""{"event":"mark"}""")]
    [InlineData("""{"event":"teleport"}""")]
    public void Malformed_frames_become_malformed_events_never_exceptions(string frame)
    {
        Assert.IsType<MalformedEvent>(MediaStreamProtocol.Parse(System.Text.Encoding.UTF8.GetBytes(frame)));
    }

    [Fact]
    public void TwiML_connects_the_stream_with_the_token_parameter()
    {
        var twiml = TwiML.ConnectStream(new Uri("wss://voice.example.com/telephony/twilio/media"), "v1.abc.1.sig");

        var stream = System.Xml.Linq.XDocument.Parse(twiml).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal("wss://voice.example.com/telephony/twilio/media", stream.Attribute("url")!.Value);
        Assert.Equal("v1.abc.1.sig", stream.Element("Parameter")!.Attribute("value")!.Value);
        Assert.Contains("<Dial>+15550109999</Dial>", TwiML.Dial("+15550109999"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("one two three four", 500, 1000, "one two —")]
    [InlineData("one two three four", 1000, 1000, "one two three four")]
    [InlineData("one two three four", 0, 1000, "")]
    [InlineData("one two three four", 100, 1000, "")]
    public void An_interrupted_turn_keeps_the_share_of_words_that_was_heard(string text, int heardMs, int sentMs, string expected)
    {
        Assert.Equal(expected, HeardTranscript.HeardPart(text, heardMs, sentMs));
    }
}
