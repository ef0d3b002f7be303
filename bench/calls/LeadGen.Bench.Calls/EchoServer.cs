using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using LeadGen.Core.Audio;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Bench.Calls;

/// <summary>The floor: a bare WebSocket endpoint that sends every message straight back, and callers that stream
/// 20 ms media frames at it in real time and time each echo.</summary>
internal sealed class EchoServer(WebApplication app, Uri url) : IAsyncDisposable
{
    public Uri Url { get; } = url;

    public static async Task<EchoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort.Next();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            var buffer = new ArrayBufferWriter<byte>(4096);
            while (await WebSocketMessages.ReceiveAsync(socket, buffer, http.RequestAborted) is { } message)
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, true, http.RequestAborted);
            }
        });
        await app.StartAsync();
        return new EchoServer(app, new Uri($"ws://127.0.0.1:{port}/echo"));
    }

    public static async Task<(List<double> Latencies, long Dropped)> RunCallersAsync(Uri url, int callers, TimeSpan duration)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, callers).Select(async i =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(i * 2000.0 / callers));
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(url, CancellationToken.None);
            var frames = (int)(duration / TimeSpan.FromMilliseconds(20));
            var sent = new long[frames];
            var latencies = new List<double>(frames);
            var receiver = Task.Run(async () =>
            {
                var buffer = new ArrayBufferWriter<byte>(4096);
                while (latencies.Count < frames && await WebSocketMessages.ReceiveAsync(socket, buffer, CancellationToken.None) is { } message)
                {
                    if (MediaStreamProtocol.Parse(message) is MediaEvent media && media.Chunk < frames)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(sent[media.Chunk]).TotalMilliseconds);
                    }
                }
            });
            var payload = new byte[TelephoneFrames.FrameBytes];
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            var start = Stopwatch.GetTimestamp();
            for (var k = 0; k < frames; k++)
            {
                while (Stopwatch.GetElapsedTime(start) < k * TimeSpan.FromMilliseconds(20))
                {
                    await timer.WaitForNextTickAsync();
                }

                sent[k] = Stopwatch.GetTimestamp();
                await socket.SendAsync(MediaStreamProtocol.Write(new MediaEvent("MZ", k, k * 20, payload)), WebSocketMessageType.Text, true, CancellationToken.None);
            }

            await Task.WhenAny(receiver, Task.Delay(2000));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            return (latencies, Dropped: frames - latencies.Count);
        }));
        return (all.SelectMany(r => r.latencies).ToList(), all.Sum(r => (long)r.Dropped));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
