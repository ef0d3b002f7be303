using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.Twilio;
using LeadGen.Core.WebSockets;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Abuse of the VoiceApi's public surface, with seeded random garbage (the seed is printed; <c>LEADGEN_FUZZ_SEED</c>
/// replays another). Twilio webhooks: unsigned, mis-signed (wrong key, other URL, other fields, garbage) and signed but
/// malformed (missing fields, unknown values, garbage ids, huge and NUL values, invalid UTF-8, too many fields, wrong
/// content types) — never a 5xx, every refusal a ProblemDetails, a refused request writes nothing. WebSockets (media
/// stream and ConversationRelay): garbage, binary, oversized and out-of-order frames — the socket closes cleanly or the
/// frame is ignored, no model session opens without a valid token, no call is left live and the process serves on.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class WebhookFuzzTests(SharedServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Webhooks_and_sockets_refuse_garbage_without_a_5xx_a_write_or_a_live_call()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEADGEN_FUZZ_SEED"), out var chosen) ? chosen : 1818;
        output.WriteLine($"fuzz seed={seed} (set LEADGEN_FUZZ_SEED to replay another)");
        var random = new Random(seed);
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript());
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint);
        var (_, _, call) = await host.CreateOutboundCallAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var failures = new List<string>();
        var requests = 0;

        // 1. Webhooks.
        var endpoints = new[]
        {
            new Uri(host.BaseUrl, $"{TwilioWebhooks.VoicePath.TrimStart('/')}?callId={call.Id}"),
            new Uri(host.BaseUrl, $"{TwilioWebhooks.StatusPath.TrimStart('/')}?callId={call.Id}"),
            new Uri(host.BaseUrl, $"{TwilioWebhooks.AmdPath.TrimStart('/')}?callId={call.Id}"),
            new Uri(host.BaseUrl, $"{ConversationRelayWebhooks.ActionPath.TrimStart('/')}?callId={call.Id}"),
        };
        foreach (var endpoint in endpoints)
        {
            foreach (var fuzz in WebhookCases(endpoint, call.Id, random))
            {
                requests++;
                var before = await FingerprintAsync(host);
                using var response = await http.SendAsync(fuzz.Request);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                var label = $"POST {fuzz.Request.RequestUri!.PathAndQuery[..Math.Min(90, fuzz.Request.RequestUri.PathAndQuery.Length)]} [{fuzz.Name}] → {status}";
                if (status >= 500)
                {
                    failures.Add($"{label} (5xx): {Truncate(body)}");
                }
                else if (fuzz.Forbidden && status != 403)
                {
                    failures.Add($"{label}: expected 403: {Truncate(body)}");
                }

                if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{label}: not a ProblemDetails ({response.Content.Headers.ContentType}): {Truncate(body)}");
                }

                if ((status >= 400 || fuzz.Forbidden) && await FingerprintAsync(host) is var after && after != before)
                {
                    failures.Add($"{label}: refused, yet the database changed");
                }

                fuzz.Request.Dispose();
            }
        }

        // 2. Sockets: the media stream before a valid start, and the relay before a valid setup.
        var media = new UriBuilder(new Uri(host.BaseUrl, TwilioWebhooks.MediaPath.TrimStart('/'))) { Scheme = "ws" }.Uri;
        var relay = new UriBuilder(new Uri(host.BaseUrl, ConversationRelayWebhooks.RelayPath.TrimStart('/'))) { Scheme = "ws" }.Uri;
        var sockets = 0;
        foreach (var (name, frames) in SocketCases(call.Id, random))
        {
            foreach (var (url, signed) in new[] { (media, false), (relay, true) })
            {
                sockets++;
                var outcome = await SendFramesAsync(url, signed ? TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString(), []) : null, frames);
                // Invalid UTF-8 in a text frame: the WebSocket layer fails the connection itself (RFC 6455 §8.1, close 1007).
                var acceptable = outcome is "closed by server" or "refused upgrade" || (name == "invalid UTF-8 text" && outcome == "dropped without a close frame");
                if (!acceptable)
                {
                    failures.Add($"{url.AbsolutePath} [{name}]: {outcome}");
                }
            }
        }

        // An unsigned or mis-signed relay upgrade never opens.
        foreach (var signature in new string?[] { null, "bm90LWEtc2lnbmF0dXJl", TwilioRequestSigner.Sign("somebody-elses-token", relay.ToString(), []) })
        {
            sockets++;
            var outcome = await SendFramesAsync(relay, signature, [Text("""{"type":"setup"}""")]);
            if (outcome != "refused upgrade")
            {
                failures.Add($"relay upgrade signed {signature ?? "(none)"}: {outcome}");
            }
        }

        // 3. After a valid start, garbage of every kind is skipped and the call goes on (oversized frames included) until
        // the caller hangs up. (Whether the agent still speaks after garbage is WebhookSecurityTests' fixed-frame test.)
        var sessionsBeforeValidCall = gemini.Connections;
        var (_, _, second) = await host.CreateOutboundCallAsync(phone: "+15550100003");
        var survived = await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = host.VoiceUrl(second.Id),
            AuthToken = VoiceApiHost.AuthToken,
            Script =
            [
                .. Enumerable.Range(0, 12).Select(_ => new CallerStep.SendRaw(GarbageText(random))),
                new CallerStep.SendRaw("{\"event\":\"media\",\"media\":{\"payload\":\"" + new string('A', 200_000) + "\"}}"),
                new CallerStep.SendRaw("""{"event":"start","start":{"streamSid":"MZ-second","customParameters":{"token":"v1.x.1.y"}}}"""),
                new CallerStep.SendRaw("""{"event":"media","media":{"payload":"AAAA","timestamp":"-5","chunk":"999999999999999999999"}}"""),
                new CallerStep.Pause(TimeSpan.FromSeconds(2)),
                new CallerStep.HangUp(),
            ],
        }, http, CancellationToken.None);
        sockets++;
        if (!survived.StreamOpened || survived.EndedByServer)
        {
            failures.Add($"a call fed garbage after its start did not carry on (opened: {survived.StreamOpened}, closed: {survived.CloseStatus} {survived.CloseDescription})");
        }

        // Nothing is left live, no model session opened but the one valid call's, and the process still serves.
        var live = await Eventually.WaitForAsync(
            async () => (await host.Services.GetRequiredService<LiveCallRegistry>().ListAsync(CancellationToken.None)).Where(c => c.CallId == call.Id || c.CallId == second.Id).ToList(),
            calls => calls.Count == 0);
        using var alive = await http.GetAsync(new Uri(host.BaseUrl, "alive"));
        output.WriteLine($"fuzz seed={seed}: {requests} webhook requests to {endpoints.Length} endpoints, {sockets} sockets; {failures.Count} failures; model sessions before the valid call {sessionsBeforeValidCall}");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures:\n{string.Join('\n', failures.Take(40))}");
        Assert.Empty(live);
        Assert.Equal(0, sessionsBeforeValidCall);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private sealed record WebhookCase(string Name, HttpRequestMessage Request, bool Forbidden);

    private static IEnumerable<WebhookCase> WebhookCases(Uri url, Guid callId, Random random)
    {
        var valid = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", VoiceApiHost.AccountSid), new("CallSid", "CA" + new string('f', 32)), new("CallStatus", "in-progress"),
            new("From", "+15550100001"), new("To", "+15550100002"), new("Direction", "outbound-api"), new("AnsweredBy", "human"),
        };
        WebhookCase Form(string name, Uri target, List<KeyValuePair<string, string>> form, string? signature, bool forbidden = false)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(form) };
            if (signature is not null)
            {
                request.Headers.Add(TwilioSignature.HeaderName, signature);
            }

            return new WebhookCase(name, request, forbidden);
        }

        WebhookCase Signed(string name, List<KeyValuePair<string, string>> form, Uri? target = null) =>
            Form(name, target ?? url, form, TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, (target ?? url).ToString(), form));

        WebhookCase Raw(string name, byte[] body, string? contentType, bool signedOverUrl, bool forbidden)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            request.Headers.Add(TwilioSignature.HeaderName, signedOverUrl ? TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString(), []) : "AAAA");
            return new WebhookCase(name, request, forbidden);
        }

        // Unsigned and mis-signed: 403, nothing written.
        yield return Form("unsigned", url, valid, null, forbidden: true);
        yield return Form("empty signature", url, valid, "", forbidden: true);
        yield return Form("garbage signature", url, valid, "%%%not base64%%%", forbidden: true);
        yield return Form("random signature", url, valid, Convert.ToBase64String(RandomBytes(random, 20)), forbidden: true);
        yield return Form("huge signature", url, valid, new string('A', 6000), forbidden: true);
        yield return Form("signed with another token", url, valid, TwilioRequestSigner.Sign("somebody-elses-token", url.ToString(), valid), forbidden: true);
        yield return Form("signed over another URL", url, valid, TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString().Replace(callId.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal), valid), forbidden: true);
        yield return Form("signed over other fields", url, valid, TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString(), [.. valid, new("CallStatus", "completed")]), forbidden: true);
        yield return Form("a field added after signing", url, [.. valid, new("Extra", "1")], TwilioRequestSigner.Sign(VoiceApiHost.AuthToken, url.ToString(), valid), forbidden: true);
        yield return Form("unsigned, 5,000 fields", url, [.. Enumerable.Range(0, 5000).Select(i => new KeyValuePair<string, string>("f" + i, "v"))], null, forbidden: true);
        yield return Raw("unsigned invalid UTF-8 form", [.. "CallSid=CA1&From="u8, 0xC3, 0x28, 0xFF], "application/x-www-form-urlencoded", signedOverUrl: false, forbidden: true);
        yield return Raw("mis-signed JSON", """{"CallSid":"CA1","CallStatus":"completed"}"""u8.ToArray(), "application/json", signedOverUrl: false, forbidden: true);

        // Signed but malformed: any 4xx or a TwiML answer, never a 5xx.
        yield return Signed("no fields", []);
        yield return Signed("only AccountSid", [new("AccountSid", VoiceApiHost.AccountSid)]);
        yield return Signed("unknown CallStatus", [.. valid.Where(f => f.Key != "CallStatus"), new("CallStatus", "exploded")]);
        yield return Signed("unknown AnsweredBy", [.. valid.Where(f => f.Key != "AnsweredBy"), new("AnsweredBy", "robot_overlord")]);
        yield return Signed("negative duration", [.. valid, new("CallDuration", "-5")]);
        yield return Signed("huge duration", [.. valid, new("CallDuration", "99999999999999999999")]);
        yield return Signed("huge values", [.. valid.Select(f => new KeyValuePair<string, string>(f.Key, f.Key is "CallStatus" or "AnsweredBy" ? f.Value : new string('9', 100_000)))]);
        yield return Signed("NUL in every value", [.. valid.Select(f => new KeyValuePair<string, string>(f.Key, f.Value + "\0x"))]);
        yield return Signed("lone surrogate in From", [.. valid.Where(f => f.Key != "From"), new("From", "+1555\ud800")]);
        yield return Signed("random values", [.. valid.Select(f => new KeyValuePair<string, string>(f.Key, GarbageText(random)))]);
        yield return Signed("HandoffData not JSON", [.. valid, new("HandoffData", "{{{not json"), new("ErrorCode", "64107"), new("ErrorMessage", new string('e', 10_000))]);
        yield return Signed("HandoffData deep JSON", [.. valid, new("HandoffData", new string('[', 5000) + new string(']', 5000))]);
        yield return Signed("1,500 fields", [.. valid, .. Enumerable.Range(0, 1500).Select(i => new KeyValuePair<string, string>("f" + i, "v"))]);
        yield return Raw("signed JSON body", """{"CallSid":"CA1","CallStatus":"completed"}"""u8.ToArray(), "application/json", signedOverUrl: true, forbidden: false);
        yield return Raw("signed empty body", [], null, signedOverUrl: true, forbidden: false);
        var withoutQuery = new Uri(url.GetLeftPart(UriPartial.Path));
        yield return Signed("no callId", valid, withoutQuery);
        yield return Signed("unknown callId", valid, new Uri($"{withoutQuery}?callId={Guid.NewGuid()}"));
        yield return Signed("garbage callId", valid, new Uri($"{withoutQuery}?callId=not-a-guid"));
        yield return Signed("two callIds", valid, new Uri($"{withoutQuery}?callId={callId}&callId={Guid.NewGuid()}"));
    }

    /// <summary>Frame sequences that never amount to a valid start/setup with a valid token.</summary>
    private static IEnumerable<(string Name, (WebSocketMessageType Type, byte[] Bytes)[] Frames)> SocketCases(Guid callId, Random random)
    {
        yield return ("nothing, then close", []);
        yield return ("not JSON", [Text("not json at all")]);
        yield return ("binary", [(WebSocketMessageType.Binary, RandomBytes(random, 2048))]);
        yield return ("invalid UTF-8 text", [(WebSocketMessageType.Text, [0x7B, 0xC3, 0x28, 0xFF, 0x7D])]);
        yield return ("oversized text (1 MB)", [Text("{\"event\":\"start\",\"x\":\"" + new string('a', 1024 * 1024) + "\"}")]);
        yield return ("deep JSON", [Text(new string('[', 10_000) + new string(']', 10_000))]);
        yield return ("media and stop before start", [Text("""{"event":"media","media":{"payload":"AAAA"}}"""), Text("""{"event":"stop"}""")]);
        yield return ("prompt before setup", [Text("""{"type":"prompt","voicePrompt":"hello","last":true}""")]);
        yield return ("start/setup without a token", [Text("""{"event":"start","start":{"streamSid":"MZ1","callSid":"CA1","customParameters":{}}}"""), Text("""{"type":"setup","sessionId":"VX1","callSid":"CA1","customParameters":{}}""")]);
        yield return ("start/setup with a forged token", [
            Text("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"CA1\",\"customParameters\":{\"token\":\"" + ForgedToken(callId) + "\"}}}"),
            Text("{\"type\":\"setup\",\"sessionId\":\"VX1\",\"callSid\":\"CA1\",\"customParameters\":{\"token\":\"" + ForgedToken(callId) + "\"}}"),
        ]);
        yield return ("wrong field types", [Text("""{"event":["start"],"start":"x","type":{"setup":1},"customParameters":[1,2]}""")]);
        yield return ("many connected frames", [.. Enumerable.Range(0, 50).Select(_ => Text("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""))]);
        yield return ("random garbage", [.. Enumerable.Range(0, 6).Select(_ => Text(GarbageText(random)))]);
    }

    private static string ForgedToken(Guid callId) => $"v1.{callId:N}.9999999999.c2lnbmF0dXJl";

    private static (WebSocketMessageType, byte[]) Text(string text) => (WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Connects, sends the frames, then waits for the server to close (30 s bound) and answers its close.</summary>
    private static async Task<string> SendFramesAsync(Uri url, string? signature, (WebSocketMessageType Type, byte[] Bytes)[] frames)
    {
        using var socket = new ClientWebSocket();
        if (signature is not null)
        {
            socket.Options.SetRequestHeader(TwilioSignature.HeaderName, signature);
        }

        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return "refused upgrade";
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            foreach (var (type, bytes) in frames)
            {
                await socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
            }

            if (frames.Length == 0)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }

            while (true)
            {
                var message = await WebSocketMessages.ReceiveAsync(socket, new ArrayBufferWriter<byte>(), timeout.Token);
                if (message is null)
                {
                    return socket.CloseStatus is null ? "dropped without a close frame" : "closed by server";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "still open after 30 s";
        }
        catch (WebSocketException exception) when (socket.CloseStatus is not null || exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            // The server closed while frames were still being sent.
            return socket.CloseStatus is null ? "dropped without a close frame" : "closed by server";
        }
    }

    private static string GarbageText(Random random)
    {
        var pieces = new[] { "{", "}", "[", "]", "\"event\"", "\"start\"", "\"media\"", ":", ",", "null", "1e999", "\"\\u0000\"", "\"\\ud800\"", "\"type\"", "\"setup\"", "💥", "-0", "true" };
        return string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Every table's row count and a hash of its rows (the host's own small database).</summary>
    private static async Task<string> FingerprintAsync(VoiceApiHost host)
    {
        var tables = new List<string>();
        await using (var list = host.DataSource.CreateCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schemaversions' ORDER BY 1"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sql = "SELECT " + string.Join(" || '|' || ", tables.Select(t => $"(SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM \"{t}\" x)"));
        await using var command = host.DataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
