using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony.ConversationRelay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>The ConversationRelay transport over a real loopback WebSocket, Twilio's side played by the test, with a fake clock.</summary>
public sealed class RelayTransportTests : IAsyncDisposable
{
    private const string Greeting = "Hi, this is an AI assistant. What budget do you have in mind?"; // 13 words: 6.5 s
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly Guid CallId = Guid.NewGuid();
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly WebSocketPair _pair;
    private readonly RelaySocket _socket;
    private readonly RelayTransport _transport;
    private readonly RecordingEvents _events = new();
    private readonly CancellationTokenSource _call = new();
    private readonly Task _receiving;

    public RelayTransportTests()
    {
        _pair = WebSocketPair.CreateAsync().GetAwaiter().GetResult();
        _socket = new RelaySocket(_pair.Server);
        var metrics = new CallMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var options = new ConversationRelayOptions { WordsPerMinute = 120 }; // two words a second
        _transport = new RelayTransport(_socket, CallId, Greeting, options, metrics, _time, NullLogger.Instance);
        _receiving = _transport.ReceiveAsync(_events, _call.Token);
    }

    [Fact]
    public async Task The_greeting_is_not_sent_again_and_counts_as_heard_once_it_has_had_time_to_play()
    {
        Assert.True(_transport.CarriesText);
        Assert.Equal(Greeting, _transport.SpokenGreeting);
        await _transport.EndAgentTurnAsync(0, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(6.4));
        Assert.Empty(_events.Log);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await UntilAsync(() => _events.Log.Contains("played 0"));
        await SendAsync("""{"type":"prompt","voicePrompt":"Hello?","lang":"en-US","last":true}""");
        await UntilAsync(() => _events.Log.Contains("said Hello?"));
        Assert.Equal(["played 0", "said Hello?"], _events.Log); // nothing sent by us: the far side said the greeting
    }

    [Fact]
    public async Task Reply_pieces_stream_as_tokens_the_last_one_marked_last_and_an_answer_means_it_was_heard()
    {
        await _transport.SendAgentTextAsync(2, "Thank you. ", CancellationToken.None);
        await _transport.SendAgentTextAsync(2, "When would you like them installed?", CancellationToken.None);
        await _transport.EndAgentTurnAsync(2, CancellationToken.None);

        Assert.Equal(("text", "Thank you. ", false), Token(await ReceiveAsync()));
        Assert.Equal(("text", "When would you like them installed?", true), Token(await ReceiveAsync()));
        await SendAsync("""{"type":"prompt","voicePrompt":"Next","lang":"en-US","last":false}""");
        await SendAsync("""{"type":"prompt","voicePrompt":"Next month.","lang":"en-US","last":true}""");
        await UntilAsync(() => _events.Log.Count == 2);
        Assert.Equal(["played 2", "said Next month."], _events.Log); // answered before its play-out time: heard
        _time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(50);
        Assert.Equal(2, _events.Log.Count); // and not reported twice
    }

    [Fact]
    public async Task An_interrupt_reports_what_was_heard_and_stops_the_play_out_clock_and_dtmf_is_a_key()
    {
        await _transport.EndAgentTurnAsync(0, CancellationToken.None);
        await SendAsync("""{"type":"interrupt","utteranceUntilInterrupt":"Hi, this is","durationUntilInterruptMs":"900"}""");
        await SendAsync("""{"type":"dtmf","digit":"9"}""");
        await UntilAsync(() => _events.Log.Count == 2);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(50);

        Assert.Equal(["interrupted Hi, this is", "key 9"], _events.Log);
    }

    [Theory]
    [InlineData("hangup", null, "call-ended")]
    [InlineData("hangup", "no-response", "no-response")]
    [InlineData("transfer", null, ConversationRelayWebhooks.HumanHandoff)]
    public async Task Hanging_up_or_transferring_ends_the_session_with_handoff_data(string action, string? reason, string reasonCode)
    {
        CallIntent intent = action == "transfer" ? new TransferToHuman("+15550107777") : new HangUp(reason);
        await _transport.CarryOutAsync(intent, CancellationToken.None);

        var end = await ReceiveAsync();
        Assert.Equal("end", end["type"]!.GetValue<string>());
        var handoff = JsonNode.Parse(end["handoffData"]!.GetValue<string>())!;
        Assert.Equal((reasonCode, CallId.ToString()), (handoff["reasonCode"]!.GetValue<string>(), handoff["callId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task When_the_call_ends_twilio_gets_time_to_close_the_socket_itself()
    {
        await _call.CancelAsync();
        await SendAsync("""{"type":"prompt","voicePrompt":"Too late.","lang":"en-US","last":true}""");
        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session ended", CancellationToken.None);

        await _receiving.WaitAsync(Wait);
        Assert.Empty(_events.Log); // read, not acted on
    }

    public async ValueTask DisposeAsync()
    {
        await _call.CancelAsync();
        _pair.Client.Abort(); // Twilio goes away: the transport stops reading
        await _receiving.WaitAsync(Wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _transport.CloseAsync(CallCloseReason.Ended);
        _transport.Dispose();
        _socket.Dispose();
        _pair.Dispose();
        _call.Dispose();
        await _services.DisposeAsync();
    }

    private static (string Type, string Token, bool Last) Token(JsonObject message) =>
        (message["type"]!.GetValue<string>(), message["token"]!.GetValue<string>(), message["last"]!.GetValue<bool>());

    private Task SendAsync(string json) => _pair.Client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task<JsonObject> ReceiveAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        var result = await _pair.Client.ReceiveAsync(buffer, timeout.Token);
        return JsonNode.Parse(buffer.AsSpan(0, result.Count))!.AsObject();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < Wait, "condition not met in time");
            await Task.Delay(1);
        }
    }

    private sealed class RecordingEvents : ICallTransportEvents
    {
        public ConcurrentQueue<string> Log { get; } = new();

        public ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken) => Record($"key {key}");

        public ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken) => Record($"played {turn}");

        public ValueTask OnCallerTextAsync(string text, CancellationToken cancellationToken) => Record($"said {text}");

        public ValueTask OnCallerInterruptedAsync(string heard, CancellationToken cancellationToken) => Record($"interrupted {heard}");

        private ValueTask Record(string line)
        {
            Log.Enqueue(line);
            return ValueTask.CompletedTask;
        }
    }
}
