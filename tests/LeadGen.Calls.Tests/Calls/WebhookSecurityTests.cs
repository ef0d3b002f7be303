using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using LeadGen.Core.Calls;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Core.WebSockets;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;

namespace LeadGen.Calls.Tests.Calls;

[Collection(ServersCollection.Name)]
public sealed class WebhookSecurityTests(SharedServers servers)
{
    [Fact]
    public async Task A_forged_signature_gets_403_problem_details_and_writes_nothing()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();

        var forged = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            StatusCallbackUrl = host.StatusUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            SignatureOverride = Convert.ToBase64String(new byte[20]),
        }, http, CancellationToken.None);
        var wrongKey = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = "somebody-elses-token",
        }, http, CancellationToken.None);

        // A status callback with a forged signature must not complete the call or queue analysis.
        using var status = new HttpRequestMessage(HttpMethod.Post, host.StatusUrl(call.Id))
        {
            Content = new FormUrlEncodedContent([new("CallSid", "CA1"), new("CallStatus", "completed")]),
        };
        status.Headers.Add(TwilioSignature.HeaderName, "bm90LWEtc2lnbmF0dXJl");
        using var statusResponse = await http.SendAsync(status);
        using var unsigned = await http.PostAsync(host.StatusUrl(call.Id), new FormUrlEncodedContent([new("CallStatus", "completed")]));

        Assert.Equal(403, forged.VoiceStatusCode);
        Assert.Contains("Invalid Twilio signature", forged.TwiML, StringComparison.Ordinal);
        Assert.False(forged.StreamOpened);
        Assert.Equal(403, wrongKey.VoiceStatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, statusResponse.StatusCode);
        Assert.Equal("application/problem+json", statusResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        var stored = await host.Calls.GetAsync(call.Id, CancellationToken.None);
        Assert.Equal(CallStatuses.Initiated, stored!.Status);
        Assert.Null(stored.ProviderCallId);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM job_outbox"));
        Assert.Equal(0, gemini.Connections);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("missing")]
    [InlineData("other-call")]
    public async Task A_bad_stream_token_closes_the_socket_with_policy_violation_before_anything_happens(string kind)
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();

        var result = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            TamperStreamParameters = parameters => kind switch
            {
                "tampered" => new Dictionary<string, string> { ["token"] = parameters["token"][..^2] + (parameters["token"][^2..] == "AA" ? "BB" : "AA") },
                "missing" => new Dictionary<string, string>(),
                _ => new Dictionary<string, string> { ["token"] = "v1." + Guid.NewGuid().ToString("N") + ".9999999999.c2lnbmF0dXJl" },
            },
            Script = [new CallerStep.Pause(TimeSpan.FromSeconds(3))],
        }, http, CancellationToken.None);

        Assert.Equal(200, result.VoiceStatusCode);
        Assert.True(result.StreamOpened);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.Equal(0, result.AgentFramesReceived);
        Assert.Equal(0, gemini.Connections);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM call_turns"));
        Assert.Equal(CallStatuses.Initiated, (await host.Calls.GetAsync(call.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Garbage_before_start_is_refused_and_garbage_during_a_call_is_skipped_without_breaking_it()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            Turns = [new("Still there?", "Yes, I am still here.")],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();
        var mediaUrl = new UriBuilder(new Uri(host.BaseUrl, "telephony/twilio/media")) { Scheme = "ws" }.Uri;

        // 1. Media before start: not a Twilio stream → policy close.
        using (var raw = new ClientWebSocket())
        {
            await raw.ConnectAsync(mediaUrl, CancellationToken.None);
            await raw.SendAsync("""{"event":"media","media":{"payload":"AAAA"}}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Null(await WebSocketMessages.ReceiveAsync(raw, new ArrayBufferWriter<byte>(), CancellationToken.None));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, raw.CloseStatus);
        }

        // 2. A valid call fed every kind of bad frame, out-of-order events and an oversized frame: it carries on.
        var result = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(call.Id),
            AuthToken = VoiceApiHost.AuthToken,
            Script =
            [
                new CallerStep.SendRaw("not json at all"),
                new CallerStep.SendRaw("""{"event":"media","media":{"payload":"%%%not-base64%%%"}}"""),
                new CallerStep.SendRaw("""{"event":"media"}"""),
                new CallerStep.SendRaw("""{"event":"mark","mark":{"name":"999:999999:end"}}"""),
                new CallerStep.SendRaw("""{"event":"mark","mark":{"name":"no-colons"}}"""),
                new CallerStep.SendRaw("""{"event":"dtmf","dtmf":{"digit":"42"}}"""),
                new CallerStep.SendRaw("""{"event":"start","start":{"streamSid":"MZ2","customParameters":{}}}"""),
                new CallerStep.SendRaw("""{"event":"connected"}"""),
                new CallerStep.SendRaw("""{"event":"clear"}"""),
                new CallerStep.SendRaw("[1,2,3]"),
                new CallerStep.SendRaw("""{"event":42}"""),
                new CallerStep.SendRaw("{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 100_000) + "\"}}"),
                new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500)),
                new CallerStep.Say(CallerSpeech.Say("Are you still there?")),
                new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500)),
            ],
        }, http, CancellationToken.None);

        Assert.False(result.EndedByServer, $"closed: {result.CloseStatus} {result.CloseDescription}");
        var transcript = await Eventually.WaitForAsync(
            () => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Any(x => x.Speaker == CallSpeakers.Agent && x.Seq > 0));
        Assert.True(
            transcript.Any(t => t.Speaker == CallSpeakers.Agent && t.Text.Contains("still here", StringComparison.Ordinal)),
            $"clears={result.ClearsReceived} cleared={result.AgentFramesCleared} received={result.AgentFramesReceived} interruptions={gemini.Interruptions} heardMs={result.AgentAudioHeard.Length / 8}");
        using var health = await http.GetAsync(new Uri(host.BaseUrl, "alive"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Without_a_voice_model_the_voice_webhook_says_so_and_hangs_up()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient();

        var result = await SimulatedCall.RunAsync(new SimulatedCallOptions { VoiceUrl = host.VoiceUrl(call.Id), AuthToken = VoiceApiHost.AuthToken }, http, CancellationToken.None);

        Assert.Equal(200, result.VoiceStatusCode);
        Assert.Contains("no voice model is configured", result.TwiML, StringComparison.Ordinal);
        Assert.Contains("<Hangup", result.TwiML, StringComparison.Ordinal);
        Assert.DoesNotContain("<Connect", result.TwiML, StringComparison.Ordinal);
        Assert.False(result.StreamOpened);
    }

    [Fact]
    public async Task Media_endpoint_refuses_plain_http_with_problem_details()
    {
        await using var host = await VoiceApiHost.StartAsync(servers, geminiEndpoint: null);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(host.BaseUrl, "telephony/twilio/media"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
