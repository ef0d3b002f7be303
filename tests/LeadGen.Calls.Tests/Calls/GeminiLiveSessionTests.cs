using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Gemini.RateLimiting;
using LeadGen.Core.Gemini.Vertex;
using LeadGen.Core.Leads;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Issue 16's Live-session requirements against the fake Live server (the documented wire format): a connection
/// rotated mid-sentence loses no caller audio; token usage is stored on the call and metered; a Spanish campaign's
/// language, voice and turn-taking reach the model; a call without rate-limit budget hears a line, not dead air.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class GeminiLiveSessionTests(SharedServers servers)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_dropped_mid_sentence_resumes_and_the_model_gets_every_caller_frame_in_order()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            Turns = [new("I'd like a quote for my roof.", "Sure, what is your address?")],
            DropAfterAudioMessages = 30,
            ConsumedLag = 5,
            RecordFrameNumbers = true,
            ReplyDelay = TimeSpan.Zero,
            PaceAudio = false,
        });
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new LiveTelemetry(meters.GetRequiredService<IMeterFactory>());
        var tokens = new ConcurrentQueue<(long Value, string? Type, string? Model)>();
        using var listener = TokenListener(tokens);
        var client = new GeminiLiveClient(
            Options.Create(new GeminiOptions { Mode = "apikey", ApiKey = "fake-key", Endpoint = gemini.Endpoint, LiveModel = "live-test-model" }),
            telemetry,
            TimeProvider.System,
            NullLogger<GeminiLiveClient>.Instance);
        await using var session = await client.ConnectAsync(new RealtimeSessionRequest("Be brief.", []), CancellationToken.None);
        var events = new ConcurrentQueue<RealtimeEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in session.ReadEventsAsync(CancellationToken.None))
            {
                events.Enqueue(item);
            }
        });

        // 1.2 s of speech, then 1 s of silence: 110 numbered 20 ms frames, sent a little faster than real time.
        for (ushort frame = 1; frame <= 110; frame++)
        {
            await session.SendAudioAsync(Frame(frame, voiced: frame <= 60), CancellationToken.None);
            await Task.Delay(5);
        }

        await UntilAsync(() => events.OfType<AgentTranscript>().Any(said => said.Text.Contains("address", StringComparison.Ordinal)));
        // The reply starts at the end of the caller's turn, which can come before the last silent frames reach the
        // fake: wait (bounded) until the second connection has as many frames as were sent, then check each one.
        await UntilAsync(() => gemini.Sessions.ToArray() is [_, var resumed] && resumed.FrameNumbers.Count >= 110 - 25);

        // Two connections; the first lost its socket after frame 30 having consumed only up to frame 25.
        Assert.Equal(2, gemini.Connections);
        Assert.Equal(1, gemini.Resumptions);
        Assert.Contains(events, item => item is SessionResumed);
        var sessions = gemini.Sessions.ToArray();
        Assert.Equal(Enumerable.Range(1, 30).Select(n => (ushort)n), sessions[0].FrameNumbers);
        var second = sessions[1].FrameNumbers;
        Assert.Equal((ushort)26, second[0]); // replayed from the first frame the server had not consumed
        Assert.Equal(Enumerable.Range(26, 110 - 25).Select(n => (ushort)n), second); // then everything, in order, no gap
        // The reply's usage came back as an event and as the GenAI token metric, attributed like the text client's.
        var (input, output) = gemini.UsageReported;
        var usage = Assert.Single(events.OfType<EngineUsage>());
        Assert.Equal((input, output), (usage.InputTokens, usage.OutputTokens));
        Assert.True(usage.InputAudioTokens > 0 && usage.OutputAudioTokens > 0);
        Assert.Contains((input, "input", "live-test-model"), tokens);
        Assert.Contains((output, "output", "live-test-model"), tokens);
    }

    [Fact]
    public async Task A_spanish_campaign_reaches_the_model_in_spanish_with_its_voice_and_turn_taking_and_the_call_stores_its_tokens()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            OpeningReply = "Hola, soy Ava, una asistente de IA. Esta llamada puede ser grabada.",
            TextTurnReply = "Entendido, no le volveremos a llamar. Adiós.",
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var settings = VoiceApiHost.DefaultCampaign with
        {
            Language = "es-US",
            Voice = "Puck",
            TurnTaking = new RealtimeTurnTaking(SpeechSensitivity.High, SpeechSensitivity.Low, 200, 800, InterruptOnSpeech: true),
        };
        var (_, lead, call) = await host.CreateOutboundCallAsync("+15550100088", settings);

        using var http = new HttpClient();
        var result = await SimulatedCall.RunAsync(host.CallTo(call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.PressKey("9"),
            new CallerStep.Pause(TimeSpan.FromSeconds(20)),
        ]), http, CancellationToken.None);

        Assert.True(result.EndedByServer);
        var setup = Assert.Single(gemini.Setups);
        Assert.Equal("es-US", setup["generationConfig"]!["speechConfig"]!["languageCode"]!.GetValue<string>());
        Assert.Equal("Puck", setup["generationConfig"]!["speechConfig"]!["voiceConfig"]!["prebuiltVoiceConfig"]!["voiceName"]!.GetValue<string>());
        Assert.Contains("Speak only Spanish (es-US)", setup["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var detection = setup["realtimeInputConfig"]!["automaticActivityDetection"]!;
        Assert.Equal(("START_SENSITIVITY_HIGH", "END_SENSITIVITY_LOW", 200, 800),
            (detection["startOfSpeechSensitivity"]!.GetValue<string>(), detection["endOfSpeechSensitivity"]!.GetValue<string>(), detection["prefixPaddingMs"]!.GetValue<int>(), detection["silenceDurationMs"]!.GetValue<int>()));
        Assert.NotNull(setup["contextWindowCompression"]!["slidingWindow"]);
        Assert.True(setup["sessionResumption"]!["transparent"]!.GetValue<bool>());

        // Both replies (the greeting and the goodbye) reported usage; the call's totals are their sum.
        var stored = await Eventually.WaitForAsync(
            () => host.Calls.GetAsync(call.Id, CancellationToken.None),
            c => c!.InputTokens == gemini.UsageReported.Input && c.OutputTokens == gemini.UsageReported.Output && c.InputTokens > 0);
        Assert.True(stored!.OutputTokens > 0);
        var transcript = await host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None);
        Assert.Contains(transcript, turn => turn.Speaker == CallSpeakers.Agent && turn.Text.StartsWith("Hola", StringComparison.Ordinal));

        // Each reply's report is booked on the agent turn it produced (the greeting here: the goodbye may not have been
        // heard before the hang-up), and no turn holds more than the call.
        var greeting = transcript.First(turn => turn.Speaker == CallSpeakers.Agent);
        Assert.True(greeting.InputTokens > 0 && greeting.OutputTokens > 0, $"greeting tokens {greeting.InputTokens}/{greeting.OutputTokens}");
        Assert.True(transcript.Sum(turn => turn.InputTokens ?? 0) <= stored.InputTokens);

        // Readiness checked the text and Live models against the fake's Model Garden resource.
        var health = await host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
        var models = health.Entries[GeminiModelHealthCheck.Name];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, models.Status);
        Assert.Contains("Gemini:LiveModel=", models.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_rate_limit_budget_the_caller_hears_a_line_a_callback_is_booked_and_the_dialer_is_paused()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        const string model = "capacity-test-live-model";
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint, new Dictionary<string, string?>
        {
            ["Gemini:LiveModel"] = model,
            ["Gemini:RateLimit:RequestsPerMinute"] = "1",
            ["Gemini:Live:AdmissionWait"] = "00:00:00.200",
        });
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await redis.KeyDeleteAsync([(RedisKey)("leadgen:gemini:ratelimit:" + model), EngineCapacityBackoff.Key]);
        await host.Services.GetRequiredService<IGeminiRateLimiter>().AcquireAsync(model, 1, CancellationToken.None); // the minute's one request
        var (_, lead, call) = await host.CreateOutboundCallAsync("+15550100066", VoiceApiHost.DefaultCampaign with { Language = "es-US" });
        try
        {
            using var http = new HttpClient();
            var result = await SimulatedCall.RunAsync(host.CallTo(call, lead, [new CallerStep.Pause(TimeSpan.FromSeconds(5))]), http, CancellationToken.None);

            Assert.Equal(0, gemini.Connections); // the model was never asked
            var redirect = Assert.Single(host.Simulator.Commands, command => command.CallSid == result.CallSid && command.Kind == SimulatorCommand.Redirect);
            Assert.Contains("<Say language=\"es-US\">Lo sentimos", redirect.TwiML, StringComparison.Ordinal);
            Assert.Contains("<Hangup", redirect.TwiML, StringComparison.Ordinal);
            var callback = Assert.Single(await host.Services.GetRequiredService<CallbackStore>().ListForLeadAsync(lead.Id, CancellationToken.None));
            Assert.InRange(callback.ScheduledFor - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(31));
            Assert.Equal(LeadStatuses.Callback, (await host.Leads.GetAsync(lead.Id, CancellationToken.None))!.Status);
            var paused = await host.Services.GetRequiredService<EngineCapacityBackoff>().PausedForAsync();
            Assert.NotNull(paused);
            Assert.InRange(paused.Value, TimeSpan.FromSeconds(1), EngineCapacityBackoff.Maximum);
            var transcript = await Eventually.WaitForAsync(() => host.Calls.GetTranscriptAsync(call.Id, CancellationToken.None), t => t.Count > 0);
            Assert.Contains("at capacity", Assert.Single(transcript).Text, StringComparison.Ordinal);
        }
        finally
        {
            await redis.KeyDeleteAsync(EngineCapacityBackoff.Key); // other tests' dialers share this Redis
        }
    }

    private static byte[] Frame(ushort number, bool voiced)
    {
        var pcm = new byte[640];
        for (var n = 1; n < 320; n++)
        {
            var sample = voiced ? (short)(4000 * Math.Sin(2 * Math.PI * 180 * n / 16000.0)) : (short)0;
            pcm[2 * n] = (byte)sample;
            pcm[(2 * n) + 1] = (byte)(sample >> 8);
        }

        pcm[0] = (byte)number; // the frame's number rides in its first sample
        pcm[1] = (byte)(number >> 8);
        return pcm;
    }

    private static MeterListener TokenListener(ConcurrentQueue<(long Value, string? Type, string? Model)> tokens)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GeminiChatClientFactory.TelemetrySourceName && instrument.Name == "gen_ai.client.token.usage")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            string? type = null, model = null;
            foreach (var tag in tags)
            {
                type = tag.Key == "gen_ai.token.type" ? tag.Value?.ToString() : type;
                model = tag.Key == "gen_ai.request.model" ? tag.Value?.ToString() : model;
            }

            tokens.Enqueue((value, type, model));
        });
        listener.Start();
        return listener;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < Wait, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
