using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Bench.Calls;

/// <summary>
/// The relay floor: the least any bridge between a Twilio media stream and a voice model must do. It answers the voice
/// webhook with a <c>&lt;Connect&gt;&lt;Stream&gt;</c>, opens one model session per stream (the fake model in floor mode,
/// which takes and sends Twilio's message format) and then forwards every WebSocket frame both ways untouched: no JSON
/// parsing, no base64, no μ-law, no resampling, no marks, no database. Runs as its own process (<c>--floor-server</c>),
/// pinned to the same core as the VoiceApi, so the two CPU figures compare like for like.
/// </summary>
internal static class RelayFloor
{
    public const string Flag = "--floor-server";

    public static async Task<int> ServeAsync(int port, Uri model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        // The VoiceApi's transport setting (frames written as they are made; see its Program.cs): floor and bridge differ
        // only in the work they do per frame.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/alive", () => "ok");
        app.MapPost("/voice", (HttpContext http) =>
        {
            var key = http.Request.Query["key"].ToString();
            var twiml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=\"ws://127.0.0.1:{port}/media\"><Parameter name=\"key\" value=\"{key}\"/></Stream></Connect></Response>";
            return Results.Content(twiml, "application/xml");
        });
        var modelUri = new UriBuilder(model) { Scheme = "ws", Path = LeadGen.Core.Gemini.Live.GeminiLiveEndpoint.Path, Query = "format=twilio" }.Uri;
        app.Map("/media", async (HttpContext http) =>
        {
            using var caller = await http.WebSockets.AcceptWebSocketAsync();
            await RelayAsync(caller, modelUri, http.RequestAborted);
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task RelayAsync(WebSocket caller, Uri modelUri, CancellationToken cancellationToken)
    {
        // connected, then start (its key names the model session); everything after is forwarded untouched.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        StartEvent? start = null;
        for (var i = 0; i < 4 && start is null; i++)
        {
            if (await WebSocketMessages.ReceiveAsync(caller, buffer, cancellationToken) is not { } message)
            {
                return;
            }

            start = MediaStreamProtocol.Parse(message) as StartEvent;
        }

        if (start is null)
        {
            return;
        }

        using var model = new ClientWebSocket();
        await model.ConnectAsync(modelUri, cancellationToken);
        await model.SendAsync(Setup(start.CustomParameters.GetValueOrDefault("key") ?? string.Empty), WebSocketMessageType.Text, true, cancellationToken);
        if (await WebSocketMessages.ReceiveAsync(model, buffer, cancellationToken) is null)
        {
            return; // setupComplete
        }

        await model.SendAsync(Opening, WebSocketMessageType.Text, true, cancellationToken);
        var toCaller = PumpAsync(model, caller);
        await PumpAsync(caller, model);
        await toCaller.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await WebSocketMessages.CloseQuietlyAsync(caller, WebSocketCloseStatus.NormalClosure, "call ended");
    }

    /// <summary>Frame by frame, as received: one fixed buffer, no copy, no parse.</summary>
    private static async Task PumpAsync(WebSocket from, WebSocket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // One side went away.
        }

        try
        {
            if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await to.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "peer closed", CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static byte[] Setup(string key) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        setup = new { model = "floor", systemInstruction = new { parts = new[] { new { text = key } } } },
    });

    private static readonly byte[] Opening = Encoding.UTF8.GetBytes(
        """{"clientContent":{"turns":[{"role":"user","parts":[{"text":"The call has connected. Greet the person now."}]}],"turnComplete":true}}""");
}
