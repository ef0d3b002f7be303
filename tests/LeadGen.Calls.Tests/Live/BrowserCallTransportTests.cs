using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Browser;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>A browser test call over a real (loopback) WebSocket: PCM16 frames and JSON control, through the coordinator.</summary>
public sealed class BrowserCallTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_browser_call_streams_pcm_both_ways_reports_what_was_played_and_ends_with_a_hang_up()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new CallMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        using var pair = await WebSocketPair.CreateAsync();
        var engine = new FakeEngine();
        var sink = new MemorySink();
        var tools = new FakeTools();
        using var transport = new BrowserCallTransport(pair.Server, metrics, NullLogger.Instance);
        transport.UseEngineAudio(engine.Audio);
        var coordinator = new CallCoordinator(PartsTests.Context("+15550109999"), transport, engine, sink, tools, metrics, new FakeTimeProvider(), NullLogger.Instance);
        var engineLoop = coordinator.RunEngineAsync(coordinator.Ended);
        var receiving = transport.ReceiveAsync(coordinator, coordinator.Ended);
        var browser = new BrowserSide(pair.Client);

        var format = await browser.NextJsonAsync();
        Assert.Equal(("format", 16000, 24000), (format["type"]!.GetValue<string>(), format["inputSampleRate"]!.GetValue<int>(), format["outputSampleRate"]!.GetValue<int>()));

        var loud = new byte[640]; // 20 ms at 16 kHz of a square wave
        for (var i = 0; i < loud.Length; i += 2)
        {
            BitConverter.TryWriteBytes(loud.AsSpan(i, 2), (short)(i % 4 == 0 ? 6000 : -6000));
        }

        for (var i = 0; i < 20; i++)
        {
            await browser.SendAsync(loud, WebSocketMessageType.Binary);
        }

        await browser.SendTextAsync("""{"type":"teleport"}""");
        await browser.SendTextAsync("not json");
        await UntilAsync(() => engine.AudioBytes == 20 * 640);

        engine.Push(new AgentTranscript("Hello from the agent."));
        engine.Push(FakeEngine.Speech(400));
        engine.Push(new AgentTurnComplete());
        Assert.Equal(0, (await browser.NextJsonAsync())["turn"]!.GetValue<int>());
        Assert.Equal(24 * 2 * 400, (await browser.NextBinaryAsync()).Length);
        var turnEnd = await browser.NextJsonAsync();
        Assert.Equal(("turnEnd", 400), (turnEnd["type"]!.GetValue<string>(), turnEnd["ms"]!.GetValue<int>()));
        await browser.SendTextAsync("""{"type":"played","turn":0,"ms":400,"end":true}""");
        await UntilAsync(() => sink.Turns.Any(t => t.Speaker == CallSpeakers.Agent));

        engine.Push(new ToolCallsRequested([new RealtimeToolCall("t1", ToolDispatcher.TransferTool, [])]));
        await UntilAsync(() => !engine.ToolResults.IsEmpty);
        Assert.False(Assert.Single(Assert.Single(engine.ToolResults)).Response["ok"]!.GetValue<bool>()); // a browser cannot be transferred

        await browser.SendTextAsync("""{"type":"key","key":"9"}""");
        await UntilAsync(() => tools.Calls.Contains(ToolDispatcher.DoNotCallTool));
        engine.Push(new AgentTranscript("You will not be called again. Goodbye."));
        engine.Push(FakeEngine.Speech(200));
        engine.Push(new AgentTurnComplete());
        Assert.Equal(3, (await browser.NextJsonAsync())["turn"]!.GetValue<int>()); // 1 and 2 are the transfer and opt-out notes
        await browser.NextBinaryAsync();
        await browser.NextJsonAsync();
        await browser.SendTextAsync("""{"type":"played","turn":3,"ms":200,"end":true}""");

        Assert.Equal("hangup", (await browser.NextJsonAsync())["type"]!.GetValue<string>());
        await UntilAsync(() => coordinator.Ended.IsCancellationRequested);
        try
        {
            await receiving.WaitAsync(Wait);
        }
        catch (OperationCanceledException)
        {
            // The receive loop ends by the call's end token, as LiveCallRunner expects.
        }

        await engineLoop.WaitAsync(Wait);
        await coordinator.DisposeAsync();
        Assert.Equal(
            ["Hello from the agent.", "Caller pressed 9: opted out; number added to the do-not-call list.", "You will not be called again. Goodbye."],
            sink.Turns.Where(t => t.Speaker is not (CallSpeakers.System or CallSpeakers.Tool) || t.Text.StartsWith("Caller", StringComparison.Ordinal)).OrderBy(t => t.Seq).Select(t => t.Text));
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

    /// <summary>The page's side of the socket.</summary>
    private sealed class BrowserSide(WebSocket socket)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public Task SendAsync(byte[] message, WebSocketMessageType type) => socket.SendAsync(message, type, true, CancellationToken.None);

        public Task SendTextAsync(string json) => SendAsync(System.Text.Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

        public async Task<JsonObject> NextJsonAsync()
        {
            var (type, bytes) = await NextAsync();
            Assert.Equal(WebSocketMessageType.Text, type);
            return JsonNode.Parse(bytes)!.AsObject();
        }

        public async Task<byte[]> NextBinaryAsync()
        {
            var (type, bytes) = await NextAsync();
            Assert.Equal(WebSocketMessageType.Binary, type);
            return bytes;
        }

        private async Task<(WebSocketMessageType Type, byte[] Bytes)> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Wait);
            _buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(_buffer.GetMemory(64 * 1024), timeout.Token);
                _buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage);

            return (result.MessageType, _buffer.WrittenSpan.ToArray());
        }
    }
}
