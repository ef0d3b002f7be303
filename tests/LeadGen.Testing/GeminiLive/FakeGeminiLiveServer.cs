using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Audio;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Testing.GeminiLive;

/// <summary>
/// A stand-in for the Gemini Live API (BidiGenerateContent over WebSocket) on 127.0.0.1, speaking the real JSON
/// messages: expects <c>setup</c> first and answers <c>setupComplete</c>; takes <c>realtimeInput.audio</c> (PCM16
/// 16 kHz), <c>clientContent</c> and <c>toolResponse</c>; sends <c>serverContent</c> (modelTurn inlineData PCM16
/// 24 kHz, input/outputTranscription, interrupted, turnComplete), <c>toolCall</c>, <c>sessionResumptionUpdate</c> and,
/// when scripted, <c>goAway</c>; after every reply a per-turn <c>usageMetadata</c> (Live names: promptTokenCount,
/// responseTokenCount, promptTokensDetails/responseTokensDetails by modality; 25 tokens per second of audio each way
/// plus 10 text tokens of prompt) and <c>generationComplete</c> before <c>turnComplete</c>; with
/// <c>sessionResumption.transparent</c> every update carries <c>lastConsumedClientMessageIndex</c> (int64 as a JSON
/// string, as proto JSON writes it; setup counts as index 0). When scripted it drops a connection mid-sentence.
/// Used by the integration tests and the calls benchmark.
/// Floor mode (<c>?format=twilio</c> on the socket URL, the calls benchmark's relay floor): after <c>setup</c>, caller
/// audio arrives as Twilio Media Streams <c>media</c> messages (μ-law 8 kHz) and replies leave as Twilio outbound
/// <c>media</c> messages (two 20 ms frames per 40 ms chunk) and <c>clear</c> on an interruption, so a relay can pass
/// both directions through untouched; no transcripts, resumption handles or turnComplete are sent in that mode.
/// </summary>
public sealed class FakeGeminiLiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeGeminiScript _script;
    private readonly ConcurrentDictionary<string, SessionState> _resumable = new();

    private FakeGeminiLiveServer(WebApplication app, FakeGeminiScript script, Uri endpoint)
    {
        _app = app;
        _script = script;
        Endpoint = endpoint;
    }

    /// <summary>Use as <c>Gemini:Endpoint</c>.</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<JsonObject> Setups { get; } = new();

    public ConcurrentQueue<JsonObject> ToolResponses { get; } = new();

    public ConcurrentQueue<string> TextTurns { get; } = new();

    /// <summary>Per connection: the system instruction it was set up with and when each audio chunk was sent.</summary>
    public ConcurrentQueue<FakeSessionRecord> Sessions { get; } = new();

    public int Connections => _connections;

    public int Resumptions => _resumptions;

    public int Interruptions => _interruptions;

    public long AudioMessages => Interlocked.Read(ref _audioMessages);

    /// <summary>Caller audio received, in 20 ms frames (a client may send several in one message).</summary>
    public long AudioFrames => Interlocked.Read(ref _audioFrames);

    /// <summary>Tokens reported in usageMetadata so far (input, output), to compare with what the client stored.</summary>
    public (long Input, long Output) UsageReported
    {
        get
        {
            lock (_usageGate)
            {
                return _usage;
            }
        }
    }

    private readonly Lock _usageGate = new();
    private (long Input, long Output) _usage;
    private int _dropped;

    private int _connections;
    private int _resumptions;
    private int _interruptions;
    private long _audioMessages;
    private long _audioFrames;

    public static async Task<FakeGeminiLiveServer> StartAsync(FakeGeminiScript script, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port == 0 ? FreePort.Next() : port));
        var app = builder.Build();
        app.UseWebSockets();
        var server = default(FakeGeminiLiveServer);
        app.Map("/" + GeminiLiveEndpoint.Path, async (HttpContext http) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                http.Response.StatusCode = 400;
                return;
            }

            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await server!.ServeAsync(socket, floor: http.Request.Query["format"] == "twilio", http.RequestAborted);
        });
        // Model Garden's publisher model resource, which the services' readiness check reads: every model exists here.
        app.MapGet("/v1/publishers/google/models/{model}", (string model) => Results.Json(new JsonObject
        {
            ["name"] = $"publishers/google/models/{model}",
            ["versionId"] = "default",
            ["openSourceCategory"] = "PROPRIETARY",
            ["launchStage"] = "GA",
        }));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        server = new FakeGeminiLiveServer(app, script, new Uri($"http://127.0.0.1:{address.Port}/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(WebSocket socket, bool floor, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connections);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var first = await ReceiveJsonAsync(socket, buffer, cancellationToken);
        if (first?["setup"] is not JsonObject setup)
        {
            await socket.CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "setup must be the first message", CancellationToken.None);
            return;
        }

        Setups.Enqueue(setup);
        SessionState state;
        if (setup["sessionResumption"]?["handle"]?.GetValue<string>() is { } handle && _resumable.TryRemove(handle, out var resumed))
        {
            Interlocked.Increment(ref _resumptions);
            state = resumed;
        }
        else
        {
            state = new SessionState();
        }

        var record = new FakeSessionRecord(setup["systemInstruction"]?["parts"]?[0]?["text"]?.GetValue<string>() ?? string.Empty);
        Sessions.Enqueue(record);
        var transparent = setup["sessionResumption"]?["transparent"]?.GetValue<bool>() == true;
        await using var connection = new Connection(this, socket, state, record, floor, transparent);
        await connection.SendAsync(new JsonObject { ["setupComplete"] = new JsonObject() });
        if (!floor)
        {
            await connection.SendResumptionHandleAsync();
        }

        await connection.RunAsync(buffer, cancellationToken);
    }

    private static async Task<JsonObject?> ReceiveJsonAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        var bytes = await WebSocketMessages.ReceiveAsync(socket, buffer, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Conversation state that survives a resumed connection.</summary>
    private sealed class SessionState
    {
        public int NextTurn { get; set; }

        public bool OpeningDone { get; set; }
    }

    private sealed class Connection(FakeGeminiLiveServer server, WebSocket socket, SessionState state, FakeSessionRecord record, bool floor, bool transparent) : IAsyncDisposable
    {
        private const double VoiceThreshold = 500;
        private const string FloorStreamSid = "MZfloor";
        private static readonly ConcurrentDictionary<int, byte[]> VoiceCache = new();
        private static readonly ConcurrentDictionary<int, byte[]> FloorVoiceCache = new();
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly FakeGeminiScript _script = server._script;
        private CancellationTokenSource? _speaking;
        private TaskCompletionSource<JsonObject>? _toolResponse;
        private double _speechMs;
        private double _silenceMs;
        private long _lastClientIndex; // setup was message 0
        private volatile bool _awaitingAfterReplyResponse;
        private double _callerAudioMsThisTurn;

        public async Task RunAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var bytes = await WebSocketMessages.ReceiveAsync(socket, buffer, cancellationToken);
                if (bytes is null)
                {
                    return;
                }

                Interlocked.Increment(ref _lastClientIndex);

                // Caller audio is 50 messages a second per call: read it with the streaming reader (no DOM, no
                // base64 string) so the fake model stays cheap next to the server it stands in for.
                if (floor)
                {
                    if (TryReadTwilioMedia(bytes) is { } mulaw)
                    {
                        Interlocked.Increment(ref server._audioMessages);
                        Interlocked.Add(ref server._audioFrames, mulaw.Length / 160);
                        record.AddAudioMessage(mulaw.Length / 160);
                        await OnAudioAsync(MeanAbsMuLaw(mulaw), mulaw.Length / 8.0);
                        continue;
                    }
                }
                else if (TryReadAudio(bytes) is { } pcm16k)
                {
                    Interlocked.Increment(ref server._audioMessages);
                    Interlocked.Add(ref server._audioFrames, pcm16k.Length / 640);
                    record.AddAudioMessage(pcm16k.Length / 640);
                    if (_script.RecordFrameNumbers && pcm16k.Length >= 2)
                    {
                        record.AddFrameNumber((ushort)(pcm16k[0] | (pcm16k[1] << 8)));
                    }

                    _callerAudioMsThisTurn += pcm16k.Length / 32.0;
                    if (_script.DropAfterAudioMessages >= 0 && Volatile.Read(ref server._dropped) == 0)
                    {
                        if (record.AudioMessages == _script.DropAfterAudioMessages - _script.ConsumedLag)
                        {
                            await SendResumptionHandleAsync(); // the last checkpoint before the drop
                        }
                        else if (record.AudioMessages == _script.DropAfterAudioMessages && Interlocked.Exchange(ref server._dropped, 1) == 0)
                        {
                            socket.Abort(); // mid-sentence, no close frame: what came after the checkpoint is lost here
                            return;
                        }
                    }

                    // Frame by frame (20 ms), as a model's voice detection works on the audio, not on how it was packed.
                    for (var at = 0; at < pcm16k.Length; at += 640)
                    {
                        var frame = pcm16k.AsSpan(at, Math.Min(640, pcm16k.Length - at));
                        await OnAudioAsync(MeanAbsPcm16(frame), frame.Length / 32.0);
                    }
                    continue;
                }

                JsonObject? message;
                try
                {
                    message = JsonNode.Parse(bytes) as JsonObject;
                }
                catch (JsonException)
                {
                    continue;
                }

                if (message is null)
                {
                    continue;
                }

                if (message["clientContent"] is JsonObject content)
                {
                    var text = content["turns"]?[0]?["parts"]?[0]?["text"]?.GetValue<string>() ?? string.Empty;
                    server.TextTurns.Enqueue(text);
                    if (!state.OpeningDone)
                    {
                        state.OpeningDone = true;
                        StartReply(new FakeGeminiTurn(string.Empty, _script.OpeningReply), transcribe: false);
                    }
                    else
                    {
                        StartReply(new FakeGeminiTurn(string.Empty, _script.TextTurnReply, ToolAfterReply: new FakeToolCall("end_call", new JsonObject { ["outcome"] = "do_not_call" })), transcribe: false);
                    }
                }
                else if (message["toolResponse"] is JsonObject toolResponse)
                {
                    server.ToolResponses.Enqueue(toolResponse);
                    if (_awaitingAfterReplyResponse && !floor)
                    {
                        _awaitingAfterReplyResponse = false;
                        // A response to a call made after the reply: the model has nothing more to say and ends its turn.
                        await SendAsync(new JsonObject { ["serverContent"] = new JsonObject { ["generationComplete"] = true, ["turnComplete"] = true } });
                    }

                    _toolResponse?.TrySetResult(toolResponse);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_speaking is not null)
            {
                await _speaking.CancelAsync();
            }

            _sendLock.Dispose();
        }

        public Task SendAsync(JsonObject message) => SendAsync(JsonSerializer.SerializeToUtf8Bytes(message));

        private async Task SendAsync(byte[] bytes)
        {
            await _sendLock.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    // The real service sends binary frames holding JSON; the client must accept both. Floor mode speaks
                    // Twilio's protocol, which is text frames only.
                    await socket.SendAsync(bytes, floor ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
                // Client went away.
            }
            finally
            {
                _sendLock.Release();
            }
        }

        /// <summary>The PCM of a <c>{"realtimeInput":{"audio":{"data":…}}}</c> message, or null for any other message.</summary>
        private static byte[]? TryReadAudio(byte[] json)
        {
            try
            {
                var reader = new Utf8JsonReader(json);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                    || !reader.Read() || !reader.ValueTextEquals("realtimeInput"u8)
                    || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isAudio = reader.ValueTextEquals("audio"u8);
                    reader.Read();
                    if (!isAudio || reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isData = reader.ValueTextEquals("data"u8);
                        reader.Read();
                        if (isData && reader.TokenType == JsonTokenType.String)
                        {
                            return reader.GetBytesFromBase64();
                        }

                        reader.Skip();
                    }

                    return null;
                }
            }
            catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
            {
                // Not audio (or not JSON): the DOM path below deals with it.
            }

            return null;
        }

        /// <summary>One reply audio chunk (with its transcript words, if any), written directly: the instant model
        /// sends whole replies as bursts of these.</summary>
        private static byte[] AudioChunkMessage(ReadOnlySpan<byte> pcm24k, string? transcript)
        {
            var buffer = new ArrayBufferWriter<byte>(pcm24k.Length * 4 / 3 + 256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("serverContent");
                writer.WriteStartObject("modelTurn");
                writer.WriteStartArray("parts");
                writer.WriteStartObject();
                writer.WriteStartObject("inlineData");
                writer.WriteString("mimeType", "audio/pcm;rate=24000");
                writer.WriteBase64String("data", pcm24k);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                if (transcript is not null)
                {
                    writer.WriteStartObject("outputTranscription");
                    writer.WriteString("text", transcript);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        public Task SendResumptionHandleAsync()
        {
            var handle = Guid.NewGuid().ToString("N");
            server._resumable[handle] = state;
            var update = new JsonObject { ["newHandle"] = handle, ["resumable"] = true };
            if (transparent)
            {
                update["lastConsumedClientMessageIndex"] = Interlocked.Read(ref _lastClientIndex).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return SendAsync(new JsonObject { ["sessionResumptionUpdate"] = update });
        }

        /// <summary>This turn's usage, as the Live API reports it: per turn, audio and text by modality.</summary>
        private Task SendUsageAsync(double replyAudioMs)
        {
            var promptAudio = (long)Math.Round(_callerAudioMsThisTurn / 1000 * 25);
            var prompt = promptAudio + 10;
            var response = (long)Math.Round(replyAudioMs / 1000 * 25);
            _callerAudioMsThisTurn = 0;
            lock (server._usageGate)
            {
                server._usage = (server._usage.Input + prompt, server._usage.Output + response);
            }

            return SendAsync(new JsonObject
            {
                ["usageMetadata"] = new JsonObject
                {
                    ["promptTokenCount"] = prompt,
                    ["responseTokenCount"] = response,
                    ["totalTokenCount"] = prompt + response,
                    ["promptTokensDetails"] = new JsonArray(
                        new JsonObject { ["modality"] = "AUDIO", ["tokenCount"] = promptAudio },
                        new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = 10 }),
                    ["responseTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "AUDIO", ["tokenCount"] = response }),
                },
            });
        }

        private static double MeanAbsPcm16(ReadOnlySpan<byte> pcm16k)
        {
            var samples = pcm16k.Length / 2;
            double sum = 0;
            for (var i = 0; i + 1 < pcm16k.Length; i += 2)
            {
                sum += Math.Abs((int)(short)(pcm16k[i] | (pcm16k[i + 1] << 8))); // int: |short.MinValue| overflows short (clipped speech has it)
            }

            return samples == 0 ? 0 : sum / samples;
        }

        private static double MeanAbsMuLaw(byte[] mulaw)
        {
            double sum = 0;
            foreach (var code in mulaw)
            {
                sum += Math.Abs((int)MuLaw.Decode(code));
            }

            return mulaw.Length == 0 ? 0 : sum / mulaw.Length;
        }

        /// <summary>The μ-law payload of a Twilio <c>{"event":"media",…}</c> message (floor mode), or null.</summary>
        private static byte[]? TryReadTwilioMedia(byte[] json) =>
            MediaStreamProtocol.Parse(json) is MediaEvent media ? media.Payload : null;

        /// <summary>One 20 ms Twilio outbound media message, written directly (floor mode).</summary>
        private static byte[] TwilioMediaMessage(ReadOnlySpan<byte> mulaw)
        {
            var buffer = new ArrayBufferWriter<byte>(mulaw.Length * 4 / 3 + 96);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("event", "media");
                writer.WriteString("streamSid", FloorStreamSid);
                writer.WriteStartObject("media");
                writer.WriteBase64String("payload", mulaw);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }

        private async Task OnAudioAsync(double meanAbs, double ms)
        {
            var voiced = ms > 0 && meanAbs > VoiceThreshold;
            if (voiced)
            {
                _speechMs += ms;
                _silenceMs = 0;
                if (_speaking is { IsCancellationRequested: false } speaking && _speechMs >= 100)
                {
                    await speaking.CancelAsync();
                    Interlocked.Increment(ref server._interruptions);
                    await SendAsync(floor
                        ? new JsonObject { ["event"] = "clear", ["streamSid"] = FloorStreamSid }
                        : new JsonObject { ["serverContent"] = new JsonObject { ["interrupted"] = true } });
                }

                return;
            }

            if (_speechMs < 200)
            {
                _speechMs = 0;
                return;
            }

            _silenceMs += ms;
            if (_silenceMs >= _script.EndOfTurnSilenceMs)
            {
                _speechMs = 0;
                _silenceMs = 0;
                var turn = state.NextTurn < _script.Turns.Count ? _script.Turns[state.NextTurn] : null;
                state.NextTurn++;
                if (turn is not null)
                {
                    StartReply(turn, transcribe: true, goAwayMidReply: state.NextTurn == _script.GoAwayAfterTurn);
                }
            }
        }

        private void StartReply(FakeGeminiTurn turn, bool transcribe, bool goAwayMidReply = false)
        {
            var speaking = new CancellationTokenSource();
            _speaking = speaking;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReplyAsync(turn, transcribe, goAwayMidReply, speaking.Token);
                }
                catch (OperationCanceledException)
                {
                    // Interrupted by the caller.
                }
                finally
                {
                    // Generation is over: speech from now on is a new turn, not an interruption.
                    Interlocked.CompareExchange(ref _speaking, null, speaking);
                }
            });
        }

        private async Task ReplyAsync(FakeGeminiTurn turn, bool transcribe, bool goAwayMidReply, CancellationToken cancellationToken)
        {
            if (transcribe && !floor)
            {
                await SendAsync(new JsonObject { ["serverContent"] = new JsonObject { ["inputTranscription"] = new JsonObject { ["text"] = turn.CallerTranscript } } });
            }

            if (_script.ReplyDelay > TimeSpan.Zero)
            {
                await Task.Delay(_script.ReplyDelay, cancellationToken);
            }

            if (turn.ToolBeforeReply is { } before)
            {
                await CallToolAsync(before, cancellationToken);
            }

            var words = turn.AgentReply.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var audio = floor
                ? FloorVoiceCache.GetOrAdd(words.Length * _script.SpeechMsPerWord, ms => FloorVoice(VoiceCache.GetOrAdd(ms, Voice)))
                : VoiceCache.GetOrAdd(words.Length * _script.SpeechMsPerWord, Voice);
            var chunkBytes = floor ? 8000 * 40 / 1000 : 24000 * 2 * 40 / 1000; // 40 ms chunks
            var chunks = (audio.Length + chunkBytes - 1) / chunkBytes;
            // Every message of the reply is made before the first is sent: making them is the model's work, not the
            // relay's, and a chunk's bytes only leave once the loop below yields, so making them on the way would add
            // the time to make all the later ones to every chunk's relay latency (more for the Live format's large
            // chunks than for the floor's Twilio frames).
            var messages = new List<(byte[] First, byte[]? Second)>(chunks);
            var wordsSent = 0;
            for (var i = 0; i < chunks; i++)
            {
                var chunk = audio.AsSpan(i * chunkBytes, Math.Min(chunkBytes, audio.Length - i * chunkBytes));
                string? transcript = null;
                var wordsDue = (int)Math.Ceiling((i + 1) * (double)words.Length / chunks);
                if (wordsDue > wordsSent)
                {
                    transcript = (wordsSent == 0 ? string.Empty : " ") + string.Join(' ', words[wordsSent..wordsDue]);
                    wordsSent = wordsDue;
                }

                // Floor: already in the caller's format, two 20 ms frames per chunk, as the bridge would cut them.
                messages.Add(floor
                    ? (TwilioMediaMessage(chunk[..Math.Min(chunk.Length, 160)]), chunk.Length > 160 ? TwilioMediaMessage(chunk[160..]) : null)
                    : (AudioChunkMessage(chunk, transcript), null));
            }

            var paceStart = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var i = 0; i < chunks; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (first, second) = messages[i];
                record.AddChunk(System.Diagnostics.Stopwatch.GetTimestamp());
                await SendAsync(first);
                if (second is not null)
                {
                    await SendAsync(second);
                }

                if (goAwayMidReply && i == 0)
                {
                    // The hard case for a client: the connection is going away while a reply is on its way.
                    await SendAsync(new JsonObject { ["goAway"] = new JsonObject { ["timeLeft"] = "5s" } });
                }

                if (_script.PaceAudio)
                {
                    // Twice real time, as the real model generates ahead of playback: chunk i+1 is due (i+1) × 20 ms after
                    // the first, so late timers on a loaded machine are caught up instead of slowing the reply to 1×.
                    var due = TimeSpan.FromMilliseconds(20 * (i + 1)) - System.Diagnostics.Stopwatch.GetElapsedTime(paceStart);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due, cancellationToken);
                    }
                }
            }

            if (floor)
            {
                return; // the relay floor knows no turns or tools
            }

            await SendAsync(new JsonObject { ["serverContent"] = new JsonObject { ["generationComplete"] = true, ["turnComplete"] = true } });
            await SendUsageAsync(audio.Length / 48.0);
            await SendResumptionHandleAsync();
            if (turn.ToolAfterReply is { } after)
            {
                _awaitingAfterReplyResponse = true;
                await CallToolAsync(after, CancellationToken.None);
            }
        }

        private async Task CallToolAsync(FakeToolCall tool, CancellationToken cancellationToken)
        {
            _toolResponse = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            await SendAsync(new JsonObject
            {
                ["toolCall"] = new JsonObject
                {
                    ["functionCalls"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString("N")[..8], ["name"] = tool.Name, ["args"] = tool.Arguments.DeepClone() }),
                },
            });
            await _toolResponse.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }

        /// <summary>The same voice as μ-law 8 kHz (every third sample: good enough for a stand-in signal).</summary>
        private static byte[] FloorVoice(byte[] pcm24k)
        {
            var mulaw = new byte[pcm24k.Length / 6];
            for (var n = 0; n < mulaw.Length; n++)
            {
                mulaw[n] = MuLaw.Encode((short)(pcm24k[6 * n] | (pcm24k[6 * n + 1] << 8)));
            }

            return mulaw;
        }

        /// <summary>A voiced, speech-level signal at 24 kHz (a 180 Hz tone with harmonics) standing in for speech.</summary>
        private static byte[] Voice(int milliseconds)
        {
            var samples = 24 * milliseconds;
            var bytes = new byte[samples * 2];
            for (var n = 0; n < samples; n++)
            {
                var t = n / 24000.0;
                var value = 4000 * Math.Sin(2 * Math.PI * 180 * t) + 2000 * Math.Sin(2 * Math.PI * 360 * t) + 1000 * Math.Sin(2 * Math.PI * 900 * t);
                var sample = (short)value;
                bytes[2 * n] = (byte)sample;
                bytes[2 * n + 1] = (byte)(sample >> 8);
            }

            return bytes;
        }
    }
}

public sealed class FakeSessionRecord(string systemInstruction)
{
    private readonly List<long> _chunks = [];
    private long _audioMessages;
    private long _audioFrames;

    public string SystemInstruction { get; } = systemInstruction;

    public IReadOnlyList<long> ChunkTimestamps
    {
        get
        {
            lock (_chunks)
            {
                return [.. _chunks];
            }
        }
    }

    private readonly List<ushort> _frameNumbers = [];

    /// <summary>Caller audio messages this session received.</summary>
    public long AudioMessages => Interlocked.Read(ref _audioMessages);

    /// <summary>Caller audio this session received, in 20 ms frames.</summary>
    public long AudioFrames => Interlocked.Read(ref _audioFrames);

    /// <summary>The number in each caller frame, in arrival order (only with <see cref="FakeGeminiScript.RecordFrameNumbers"/>).</summary>
    public IReadOnlyList<ushort> FrameNumbers
    {
        get
        {
            lock (_frameNumbers)
            {
                return [.. _frameNumbers];
            }
        }
    }

    internal void AddAudioMessage(int frames)
    {
        Interlocked.Increment(ref _audioMessages);
        Interlocked.Add(ref _audioFrames, frames);
    }

    internal void AddFrameNumber(ushort number)
    {
        lock (_frameNumbers)
        {
            _frameNumbers.Add(number);
        }
    }

    internal void AddChunk(long timestamp)
    {
        lock (_chunks)
        {
            _chunks.Add(timestamp);
        }
    }
}
