using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Telephony.ConversationRelay;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>The ConversationRelay messages exactly as Twilio documents them (field names, types, optional fields left out).</summary>
public sealed class ConversationRelayProtocolTests
{
    [Fact]
    public void Twilios_documented_messages_parse()
    {
        var setup = Assert.IsType<RelaySetup>(Parse("""
            {"type":"setup","sessionId":"VX00000000000000000000000000000000","accountSid":"AC00000000000000000000000000000000","parentCallSid":"",
             "callSid":"CA00000000000000000000000000000000","from":"+18005550100","to":"+18005550101","forwardedFrom":"+18005550102","callType":"PSTN",
             "callerName":"","direction":"inbound","callStatus":"RINGING","customParameters":{"callReference":"bar"}}
            """));
        Assert.Equal("CA00000000000000000000000000000000", setup.CallSid);
        Assert.Equal("bar", setup.CustomParameters["callReference"]);

        Assert.Equal(new RelayPrompt("Hi! Can you tell me about life?", "en-US", true), Parse("""{"type":"prompt","voicePrompt":"Hi! Can you tell me about life?","lang":"en-US","last":true}"""));
        Assert.Equal(new RelayPrompt("Hi! Can", "en-US", false), Parse("""{"type":"prompt","voicePrompt":"Hi! Can","lang":"en-US","last":false}"""));
        Assert.Equal(new RelayDtmf("1"), Parse("""{"type":"dtmf","digit":"1"}"""));
        // Twilio's reference shows the duration as a string, its guide as a number: both are read.
        Assert.Equal(new RelayInterrupt("Life is a complex set of", 460), Parse("""{"type":"interrupt","utteranceUntilInterrupt":"Life is a complex set of","durationUntilInterruptMs":"460"}"""));
        Assert.Equal(new RelayInterrupt("Life is a complex set of", 460), Parse("""{"type":"interrupt","utteranceUntilInterrupt":"Life is a complex set of","durationUntilInterruptMs":460}"""));
        Assert.Equal(new RelayError("Invalid message received"), Parse("""{"type":"error","description":"Invalid message received"}"""));
    }

    [Fact]
    public void Our_messages_are_written_in_twilios_shape()
    {
        AssertJson(new RelayText("Hello", false), """{"type":"text","token":"Hello","last":false}""");
        AssertJson(new RelayText("world.", true, "en-US", Interruptible: true, Preemptible: false), """{"type":"text","token":"world.","last":true,"lang":"en-US","interruptible":true,"preemptible":false}""");
        AssertJson(new RelayPlay("https://example.com/hold.mp3", 2), """{"type":"play","source":"https://example.com/hold.mp3","loop":2}""");
        AssertJson(new RelaySendDigits("1234#"), """{"type":"sendDigits","digits":"1234#"}""");
        AssertJson(new RelayLanguage("es-ES", "es-ES"), """{"type":"language","ttsLanguage":"es-ES","transcriptionLanguage":"es-ES"}""");
        AssertJson(new RelayEnd("""{"reasonCode":"live-agent-handoff"}"""), """{"type":"end","handoffData":"{\"reasonCode\":\"live-agent-handoff\"}"}""");
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"voicePrompt":"hi"}""", "no type")]
    [InlineData("""{"type":"media"}""", "unknown type 'media'")]
    [InlineData("""{"type":"dtmf"}""", "'digit' is required")]
    [InlineData("""{"type":"prompt","voicePrompt":"hi","last":"maybe"}""", "'last' must be true or false")]
    public void Garbage_is_reported_as_malformed_with_a_reason(string json, string reason) =>
        Assert.Equal(new RelayMalformed(reason), Parse(json));

    [Fact]
    public void Every_message_round_trips()
    {
        RelayMessage[] messages =
        [
            new RelaySetup("VX1", "CA1", "AC1", "+15550100001", "+15550100002", "outbound-api", "in-progress", new Dictionary<string, string> { ["token"] = "t" }),
            new RelayPrompt("yes", "en-US", true), new RelayInterrupt("Hi there", 300), new RelayDtmf("9"), new RelayError("x"),
            new RelayText("a", true), new RelaySendDigits("9"), new RelayLanguage("fr-FR", null), new RelayEnd(null),
        ];
        foreach (var message in messages)
        {
            var parsed = RelayProtocol.Parse(RelayProtocol.Write(message));
            if (message is RelaySetup setup)
            {
                var back = Assert.IsType<RelaySetup>(parsed);
                Assert.Equal(setup.CustomParameters, back.CustomParameters);
                Assert.Equal(setup with { CustomParameters = back.CustomParameters }, back);
            }
            else
            {
                Assert.Equal(message, parsed);
            }
        }
    }

    private static RelayMessage Parse(string json) => RelayProtocol.Parse(Encoding.UTF8.GetBytes(json));

    private static void AssertJson(RelayMessage message, string expected) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(RelayProtocol.Write(message))), Encoding.UTF8.GetString(RelayProtocol.Write(message)));
}
