using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using LeadGen.Core.Audio;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Core.WebSockets;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// What the VoiceApi sends down a real Media Streams socket carries only the fields Twilio documents for messages sent
/// to it: media {event, streamSid, media.payload}, mark {event, streamSid, mark.name}, clear {event, streamSid}.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class OutboundMediaMessagesTests(SharedServers servers)
{
    [Fact]
    public async Task Agent_media_and_marks_carry_only_the_documented_fields()
    {
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript { OpeningReply = "Hi, this is an AI assistant. This call may be recorded." });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        var token = host.Services.GetRequiredService<StreamTokens>().Issue(call.Id);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(new Uri(host.BaseUrl, "telephony/twilio/media")) { Scheme = "ws" }.Uri, CancellationToken.None);
        await SendAsync(socket, new ConnectedEvent("Call", "1.0.0"));
        await SendAsync(socket, new StartEvent("MZ42", "CA42", VoiceApiHost.AccountSid, new Dictionary<string, string> { [TwiML.StreamTokenParameter] = token }, "audio/x-mulaw", 8000));

        // The greeting arrives as media frames followed by marks; read until both kinds have been seen.
        var messages = new List<JsonObject>();
        var buffer = new ArrayBufferWriter<byte>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(messages.Any(m => Event(m) == "media") && messages.Any(m => Event(m) == "mark"))
            && await WebSocketMessages.ReceiveAsync(socket, buffer, timeout.Token) is { } bytes)
        {
            messages.Add(JsonNode.Parse(bytes)!.AsObject());
        }

        await SendAsync(socket, new StopEvent());
        var media = messages.First(m => Event(m) == "media");
        var mark = messages.First(m => Event(m) == "mark");
        Assert.Equal(["event", "streamSid", "media"], media.Select(p => p.Key));
        Assert.Equal(["payload"], media["media"]!.AsObject().Select(p => p.Key));
        Assert.Equal(TelephoneFrames.FrameBytes, Convert.FromBase64String(media["media"]!["payload"]!.GetValue<string>()).Length);
        Assert.Equal(["event", "streamSid", "mark"], mark.Select(p => p.Key));
        Assert.Equal(["name"], mark["mark"]!.AsObject().Select(p => p.Key));
        Assert.All(messages, m => Assert.Equal("MZ42", m["streamSid"]!.GetValue<string>()));
    }

    private static string? Event(JsonObject message) => message["event"]?.GetValue<string>();

    private static Task SendAsync(ClientWebSocket socket, MediaStreamEvent message) =>
        socket.SendAsync(MediaStreamProtocol.Write(message), WebSocketMessageType.Text, true, CancellationToken.None);
}
