using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Gemini.Vertex;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>
/// The Live API fields issue 16 asks for, as Vertex AI's BidiGenerateContent reference names them: the session setup
/// (speechConfig, realtimeInputConfig, contextWindowCompression, sessionResumption.transparent) and the server's
/// usageMetadata, toolCallCancellation, generationComplete and lastConsumedClientMessageIndex.
/// </summary>
public sealed class GeminiLiveSessionConfigTests
{
    private static JsonNode Setup(RealtimeSessionRequest request, GeminiLiveOptions? live = null) =>
        JsonNode.Parse(GeminiLiveWire.Setup("publishers/google/models/m", request, resumptionHandle: null, live))!["setup"]!;

    [Theory]
    [InlineData("en-US", "Aoede")]
    [InlineData("es-US", "Puck")]
    public void The_campaigns_language_and_voice_go_into_speech_config(string language, string voice)
    {
        var setup = Setup(new RealtimeSessionRequest("Be brief.", [], voice, language));

        var speech = setup["generationConfig"]!["speechConfig"]!;
        Assert.Equal(language, speech["languageCode"]!.GetValue<string>());
        Assert.Equal(voice, speech["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
    }

    [Fact]
    public void Turn_taking_defaults_suit_phone_audio_and_a_campaign_can_change_every_field()
    {
        var defaults = Setup(new RealtimeSessionRequest("x", []))["realtimeInputConfig"]!;
        var custom = Setup(new RealtimeSessionRequest("x", [], TurnTaking: new RealtimeTurnTaking(SpeechSensitivity.High, SpeechSensitivity.Low, 300, 1200, InterruptOnSpeech: false)))["realtimeInputConfig"]!;

        Assert.Equal("""{"automaticActivityDetection":{"startOfSpeechSensitivity":"START_SENSITIVITY_LOW","endOfSpeechSensitivity":"END_SENSITIVITY_HIGH","prefixPaddingMs":100,"silenceDurationMs":500},"activityHandling":"START_OF_ACTIVITY_INTERRUPTS"}""", defaults.ToJsonString());
        Assert.Equal("""{"automaticActivityDetection":{"startOfSpeechSensitivity":"START_SENSITIVITY_HIGH","endOfSpeechSensitivity":"END_SENSITIVITY_LOW","prefixPaddingMs":300,"silenceDurationMs":1200},"activityHandling":"NO_INTERRUPTION"}""", custom.ToJsonString());
    }

    [Fact]
    public void Long_calls_ask_for_sliding_window_compression_and_transparent_resumption()
    {
        var setup = Setup(new RealtimeSessionRequest("x", []));
        var tuned = Setup(new RealtimeSessionRequest("x", []), new GeminiLiveOptions { CompressionTriggerTokens = 25_000, CompressionTargetTokens = 12_000, TransparentResumption = false });

        Assert.Equal("""{"slidingWindow":{}}""", setup["contextWindowCompression"]!.ToJsonString());
        Assert.True(setup["sessionResumption"]!["transparent"]!.GetValue<bool>());
        Assert.Equal("""{"slidingWindow":{"targetTokens":12000},"triggerTokens":25000}""", tuned["contextWindowCompression"]!.ToJsonString());
        Assert.Null(tuned["sessionResumption"]!["transparent"]);
    }

    [Fact]
    public void Usage_metadata_is_read_per_turn_with_its_audio_share()
    {
        var message = GeminiLiveWire.Parse("""
            {"usageMetadata":{"promptTokenCount":69,"responseTokenCount":176,"totalTokenCount":245,"toolUsePromptTokenCount":4,"thoughtsTokenCount":6,
             "promptTokensDetails":[{"modality":"AUDIO","tokenCount":58},{"modality":"TEXT","tokenCount":11}],
             "responseTokensDetails":[{"modality":"TEXT","tokenCount":26},{"modality":"AUDIO","tokenCount":150}]}}
            """u8);

        Assert.Equal(new LiveUsage(73, 182, 58, 150), message.Usage);
        Assert.Equal(new EngineUsage(73, 182, 58, 150), Assert.Single(message.Events));
    }

    [Fact]
    public void Cancellations_generation_complete_and_the_consumed_index_are_understood()
    {
        var cancelled = GeminiLiveWire.Parse("""{"toolCallCancellation":{"ids":["f1","f2"]}}"""u8);
        var done = GeminiLiveWire.Parse("""{"serverContent":{"generationComplete":true}}"""u8);
        var resumption = GeminiLiveWire.Parse("""{"sessionResumptionUpdate":{"newHandle":"h3","resumable":true,"lastConsumedClientMessageIndex":"41"}}"""u8);
        var notResumable = GeminiLiveWire.Parse("""{"sessionResumptionUpdate":{"resumable":false,"lastConsumedClientMessageIndex":7}}"""u8);

        Assert.Equal(["f1", "f2"], Assert.IsType<ToolCallsCancelled>(Assert.Single(cancelled.Events)).Ids);
        Assert.IsType<AgentGenerationComplete>(Assert.Single(done.Events));
        Assert.Equal(("h3", 41L), (resumption.ResumptionHandle, resumption.LastConsumedClientMessageIndex));
        Assert.Equal((null, 7L), (notResumable.ResumptionHandle, notResumable.LastConsumedClientMessageIndex));
    }

    [Theory]
    [InlineData("us", "https://aiplatform.us.rep.googleapis.com/", "wss://aiplatform.us.rep.googleapis.com/")]
    [InlineData("EU", "https://aiplatform.eu.rep.googleapis.com/", "wss://aiplatform.eu.rep.googleapis.com/")]
    [InlineData("global", "https://aiplatform.googleapis.com/", "wss://aiplatform.googleapis.com/")]
    [InlineData("europe-west4", "https://europe-west4-aiplatform.googleapis.com/", "wss://europe-west4-aiplatform.googleapis.com/")]
    public void Multi_region_locations_use_the_rep_host_for_rest_and_live(string location, string rest, string live)
    {
        var options = new GeminiOptions { Project = "acme", Location = location };

        Assert.Equal(rest, VertexHost.BaseUri(options, GeminiMode.Vertex).ToString());
        Assert.StartsWith(rest + "v1/projects/acme/locations/", new VertexEndpoint(options, GeminiMode.Vertex).GenerateContent("m").ToString(), StringComparison.Ordinal);
        Assert.Equal(live + GeminiLiveEndpoint.Path, GeminiLiveEndpoint.WebSocketUri(options, GeminiMode.Vertex).ToString());
        Assert.Equal(rest + "v1/publishers/google/models/m", new VertexEndpoint(options, GeminiMode.Vertex).PublisherModelResource("m").ToString());
    }
}
