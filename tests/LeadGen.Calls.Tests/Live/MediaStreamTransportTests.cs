using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadGen.Calls.Tests.Live;

/// <summary>The Twilio Media Streams transport over a real (loopback) WebSocket, the test playing Twilio's side.</summary>
public sealed class MediaStreamTransportTests : IAsyncDisposable
{
    private const string StreamSid = "MZ0001";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeProvider _provider = new();
    private WebSocketPair _pair = null!;
    private MediaStreamTransport _transport = null!;

    [Fact]
    public async Task Agent_audio_leaves_as_20_ms_frames_with_marks_every_100_ms_and_at_the_end_carrying_only_documented_fields()
    {
        await StartAsync();

        for (var chunk = 0; chunk < 6; chunk++)
        {
            await _transport.SendAgentAudioAsync(3, new byte[24 * 2 * 40], CancellationToken.None); // 40 ms at 24 kHz, as the engine sends it
        }

        await _transport.SendAgentAudioAsync(3, new byte[24 * 2 * 10], CancellationToken.None); // half a frame: held back
        await _transport.EndAgentTurnAsync(3, CancellationToken.None); // …then padded and sent
        await _transport.ClearAgentAudioAsync(CancellationToken.None);
        var messages = await ReadAsync(17);

        var kinds = messages.Select(m => m["event"]!.GetValue<string>() + (m["mark"] is { } mark ? " " + mark["name"]!.GetValue<string>() : string.Empty)).ToList();
        Assert.Equal([.. Enumerable.Repeat("media", 6), "mark 3:120", .. Enumerable.Repeat("media", 6), "mark 3:240", "media", "mark 3:260:end", "clear"], kinds);
        foreach (var message in messages)
        {
            // Twilio documents exactly these fields for messages sent to it (media: event, streamSid, media.payload;
            // mark: event, streamSid, mark.name; clear: event, streamSid). Inbound-only fields (track, chunk, timestamp) must not leak.
            var expected = message["event"]!.GetValue<string>() switch
            {
                "media" => new[] { "event", "streamSid", "media" },
                "mark" => ["event", "streamSid", "mark"],
                _ => ["event", "streamSid"],
            };
            Assert.Equal(expected, message.Select(p => p.Key));
            Assert.Equal(StreamSid, message["streamSid"]!.GetValue<string>());
        }

        Assert.All(messages.Where(m => m["media"] is not null), m =>
        {
            Assert.Equal(["payload"], m["media"]!.AsObject().Select(p => p.Key));
            Assert.Equal(TelephoneFrames.FrameBytes, Convert.FromBase64String(m["media"]!["payload"]!.GetValue<string>()).Length);
        });
        Assert.Equal(["name"], messages.First(m => m["mark"] is not null)["mark"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Caller_frames_keys_and_mark_echoes_reach_the_coordinator_and_garbage_is_skipped()
    {
        await StartAsync();
        var events = new RecordingEvents();
        var receiving = _transport.ReceiveAsync(events, CancellationToken.None);
        var loud = new byte[TelephoneFrames.FrameBytes];
        MuLaw.Encode(Enumerable.Range(0, loud.Length).Select(n => (short)(n % 2 == 0 ? 8000 : -8000)).ToArray(), loud);
        var quiet = Enumerable.Repeat(TelephoneFrames.Silence, TelephoneFrames.FrameBytes).ToArray();

        await SendAsync(MediaStreamProtocol.Write(new MediaEvent(StreamSid, 1, 20, loud)));
        await SendAsync(MediaStreamProtocol.Write(new MediaEvent(StreamSid, 2, 40, quiet)));
        await SendAsync("""{"event":"media","streamSid":"MZ0001","media":{"track":"inbound","chunk":"3","timestamp":"60","payload":"not base64!"}}"""u8.ToArray());
        await SendAsync("{ nonsense"u8.ToArray());
        await SendAsync(MediaStreamProtocol.Write(new MarkEvent(StreamSid, "3:100")));
        await SendAsync(MediaStreamProtocol.Write(new MarkEvent(StreamSid, "3:220:end")));
        await SendAsync(MediaStreamProtocol.Write(new MarkEvent(StreamSid, "somebody else's mark")));
        await SendAsync(MediaStreamProtocol.Write(new DtmfEvent("9")));
        await SendAsync(MediaStreamProtocol.Write(new StopEvent()));
        await receiving.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([(640, true), (640, false)], events.Audio);
        Assert.Equal([(3, 100, false), (3, 220, true)], events.Played);
        Assert.Equal(["9"], events.Keys);
    }

    [Fact]
    public async Task Transfer_and_hang_up_become_provider_requests_with_TwiML_only_here()
    {
        await StartAsync();

        await _transport.CarryOutAsync(new TransferToHuman("+15550109999"), CancellationToken.None);
        await _transport.CarryOutAsync(new HangUp(), CancellationToken.None);

        Assert.Equal(["redirect CA0001 <Dial>+15550109999</Dial>", "hangup CA0001"], _provider.Requests);
        Assert.True(_transport.CanTransfer);
        Assert.Throws<NotSupportedException>(() => _transport.UseEngineAudio(new(8000, 8000)));
    }

    public async ValueTask DisposeAsync()
    {
        _transport?.Dispose();
        _pair?.Dispose();
        await _services.DisposeAsync();
    }

    private async Task StartAsync()
    {
        _pair = await WebSocketPair.CreateAsync();
        var start = new StartEvent(StreamSid, "CA0001", "AC0001", new Dictionary<string, string>(), "audio/x-mulaw", 8000);
        var metrics = new CallMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _transport = new MediaStreamTransport(_pair.Server, new ArrayBufferWriter<byte>(), start, _provider, metrics, NullLogger.Instance);
        _transport.UseEngineAudio(TelephoneAudioCodec.SupportedEngineAudio);
    }

    private Task SendAsync(byte[] message) => _pair.Client.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<List<JsonObject>> ReadAsync(int count)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var messages = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (messages.Count < count && await WebSocketMessages.ReceiveAsync(_pair.Client, buffer, timeout.Token) is { } bytes)
        {
            messages.Add(JsonNode.Parse(bytes)!.AsObject());
        }

        return messages;
    }

    private sealed class RecordingEvents : ICallTransportEvents
    {
        public List<(int Bytes, bool Voiced)> Audio { get; } = [];

        public List<(int Turn, int Ms, bool Complete)> Played { get; } = [];

        public List<string> Keys { get; } = [];

        public ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken)
        {
            Audio.Add((pcm.Length, voiced));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken)
        {
            Keys.Add(key);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken)
        {
            Played.Add((turn, playedMs, turnComplete));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnCallerTextAsync(string text, CancellationToken cancellationToken) => throw new NotSupportedException("Media Streams carry audio.");

        public ValueTask OnCallerInterruptedAsync(string heard, CancellationToken cancellationToken) => throw new NotSupportedException("Media Streams carry audio.");
    }

    private sealed class FakeProvider : ITelephonyProvider
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public string Name => "fake";

        public Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task HangUpAsync(string providerCallId, CancellationToken cancellationToken)
        {
            Requests.Enqueue($"hangup {providerCallId}");
            return Task.CompletedTask;
        }

        public Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken)
        {
            var dial = System.Xml.Linq.XDocument.Parse(twiml).Root!.Element("Dial")!;
            Requests.Enqueue($"redirect {providerCallId} <Dial>{dial.Value}</Dial>");
            return Task.CompletedTask;
        }
    }
}
