using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Live;

namespace LeadGen.Calls.Tests.Telephony;

public sealed class GeminiLiveWireTests
{
    [Fact]
    public void Setup_carries_model_instruction_tools_transcription_and_the_resumption_handle()
    {
        var request = new RealtimeSessionRequest("Be brief.", [new RealtimeToolDeclaration("end_call", "End.", new JsonObject { ["type"] = "object" })], "Aoede");

        var setup = JsonNode.Parse(GeminiLiveWire.Setup("projects/p/locations/l/publishers/google/models/m", request, "handle-1"))!["setup"]!;

        Assert.Equal("projects/p/locations/l/publishers/google/models/m", setup["model"]!.GetValue<string>());
        Assert.Equal("AUDIO", setup["generationConfig"]!["responseModalities"]![0]!.GetValue<string>());
        Assert.Equal("Aoede", setup["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
        Assert.Equal("Be brief.", setup["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_call", setup["tools"]![0]!["functionDeclarations"]![0]!["name"]!.GetValue<string>());
        // The engine seam carries standard JSON Schema; the wire gets the Live API's dialect (upper-case types).
        Assert.Equal("OBJECT", setup["tools"]![0]!["functionDeclarations"]![0]!["parameters"]!["type"]!.GetValue<string>());
        Assert.NotNull(setup["inputAudioTranscription"]);
        Assert.NotNull(setup["outputAudioTranscription"]);
        Assert.Equal("handle-1", setup["sessionResumption"]!["handle"]!.GetValue<string>());
    }

    [Fact]
    public void Audio_input_is_base64_pcm_at_16_kHz()
    {
        var message = JsonNode.Parse(GeminiLiveWire.Audio(new byte[] { 1, 0, 2, 0 }))!["realtimeInput"]!["audio"]!;

        Assert.Equal("audio/pcm;rate=16000", message["mimeType"]!.GetValue<string>());
        Assert.Equal(new byte[] { 1, 0, 2, 0 }, Convert.FromBase64String(message["data"]!.GetValue<string>()));
    }

    [Fact]
    public void Server_content_tool_calls_and_control_messages_are_understood()
    {
        var content = GeminiLiveWire.Parse("""
            {"serverContent":{"inputTranscription":{"text":"hi"},"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm;rate=24000","data":"AQID"}}]},
             "outputTranscription":{"text":"hello"},"interrupted":true,"turnComplete":true}}
            """u8);
        var tool = GeminiLiveWire.Parse("""{"toolCall":{"functionCalls":[{"id":"f1","name":"end_call","args":{"outcome":"qualified"}}]}}"""u8);
        var control = GeminiLiveWire.Parse("""{"goAway":{"timeLeft":"10s"},"sessionResumptionUpdate":{"newHandle":"h2","resumable":true}}"""u8);

        Assert.Collection(content.Events,
            e => Assert.Equal("hi", Assert.IsType<CallerTranscript>(e).Text),
            e => Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<AgentAudio>(e).Pcm),
            e => Assert.Equal("hello", Assert.IsType<AgentTranscript>(e).Text),
            e => Assert.IsType<AgentInterrupted>(e),
            e => Assert.IsType<AgentTurnComplete>(e));
        var call = Assert.Single(Assert.IsType<ToolCallsRequested>(Assert.Single(tool.Events)).Calls);
        Assert.Equal(("f1", "end_call", "qualified"), (call.Id, call.Name, call.Arguments["outcome"]!.GetValue<string>()));
        Assert.True(control.GoAway);
        Assert.Equal("h2", control.ResumptionHandle);
    }

    [Fact]
    public void Fields_in_any_order_unknown_fields_and_non_audio_parts_do_not_change_what_is_understood()
    {
        var message = GeminiLiveWire.Parse("""
            {"future":{"nested":[1,{"a":null}]},"usageMetadata":{"totalTokenCount":9,"promptTokenCount":4,"responseTokenCount":5},
             "serverContent":{"turnComplete":true,"outputTranscription":{"text":"hello"},"groundingMetadata":{"x":[]},
              "modelTurn":{"role":"model","parts":[{"text":"not audio"},{"inlineData":{"mimeType":"image/png","data":"AAAA"}},
                {"inlineData":{"data":"AQID","mimeType":"audio/pcm;rate=24000"}},{"inlineData":{"data":"BAU="}}]},
              "interrupted":false,"inputTranscription":{"text":"hi"}},
             "setupComplete":{}}
            """u8);

        Assert.True(message.SetupComplete);
        Assert.Collection(message.Events,
            e => Assert.Equal("hi", Assert.IsType<CallerTranscript>(e).Text),
            e => Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<AgentAudio>(e).Pcm),
            e => Assert.Equal(new byte[] { 4, 5 }, Assert.IsType<AgentAudio>(e).Pcm), // no MIME type: audio, as the model sends it
            e => Assert.Equal("hello", Assert.IsType<AgentTranscript>(e).Text),
            e => Assert.IsType<AgentTurnComplete>(e),
            e => Assert.IsType<EngineUsage>(e));
        Assert.Empty(GeminiLiveWire.Parse("""{"serverContent":"odd","modelTurn":[]}"""u8).Events);
        Assert.Empty(GeminiLiveWire.Parse("[1,2]"u8).Events);
    }

    [Fact]
    public void Vertex_endpoint_and_model_resource_follow_the_location_and_project()
    {
        var options = new GeminiOptions { Project = "acme", Location = "europe-west4", LiveModel = "gemini-live-2.5-flash" };

        Assert.Equal("wss://europe-west4-aiplatform.googleapis.com/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent",
            GeminiLiveEndpoint.WebSocketUri(options, GeminiMode.Vertex).ToString());
        Assert.Equal("projects/acme/locations/europe-west4/publishers/google/models/gemini-live-2.5-flash", GeminiLiveEndpoint.ModelResource(options, GeminiMode.Vertex));
        Assert.StartsWith("ws://127.0.0.1:9/", GeminiLiveEndpoint.WebSocketUri(new GeminiOptions { Endpoint = new Uri("http://127.0.0.1:9/") }, GeminiMode.ApiKey).ToString(), StringComparison.Ordinal);
    }
}
