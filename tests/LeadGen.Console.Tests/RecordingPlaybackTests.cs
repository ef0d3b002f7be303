using System.Buffers.Binary;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace LeadGen.Console.Tests;

/// <summary>
/// The call detail page plays the call's recording from the recording store (here the fake Cloud Storage JSON API)
/// through the console's viewer-only endpoint: Chromium loads it and reads its duration; the call's cost is shown.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RecordingPlaybackTests(ConsoleFixture console)
{
    private readonly ConsoleData _data = new(console.Services);

    [Fact]
    public async Task A_viewer_plays_a_calls_recording_and_sees_its_cost_and_nobody_signed_out_can_fetch_it()
    {
        var campaign = await _data.CampaignAsync("Recorded " + Guid.NewGuid().ToString("N")[..6]);
        var lead = await _data.LeadAsync(campaign.Id, "Rita Recorded", "+14155550177");
        var callId = await _data.LiveCallAsync(lead);
        var key = CallRecorder.KeyFor(callId);
        await console.Services.GetRequiredService<IRecordingStore>().SaveAsync(key, new MemoryStream(ThreeSecondRecording()), CallRecorder.ContentType, CancellationToken.None);
        await using (var command = console.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            """UPDATE calls SET recording_key = @key, cost_usd = 0.1234, cost_detail = '{"modelUsd":0.1,"telephonyUsd":0.0234,"billedMinutes":1,"unpriced":[]}' WHERE id = @id"""))
        {
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("id", callId);
            await command.ExecuteNonQueryAsync();
        }

        var page = await console.SignedInPageAsync("viewer");
        await ConsoleFixture.OpenAsync(page, $"calls/{callId}");
        await page.WaitForSelectorAsync("[data-testid=call-recording]");
        Assert.Equal("$0.1234", await page.InnerTextAsync("[data-testid=call-cost]"));
        var duration = await page.EvaluateAsync<double>("""
            () => new Promise((resolve, reject) => {
                const audio = document.querySelector('[data-testid=call-recording]');
                const done = () => resolve(audio.duration);
                if (audio.readyState >= 1) { done(); return; }
                audio.addEventListener('loadedmetadata', done, { once: true });
                audio.addEventListener('error', () => reject(new Error('audio error ' + (audio.error && audio.error.code))), { once: true });
                audio.load();
            })
            """);
        Assert.InRange(duration, 2.5, 3.5); // a finite duration read from the Ogg stream, not Infinity
        await PageChecks.AssertAccessibleAsync(page, "call detail with recording");
        await PageChecks.ScreenshotAsync(page, "call-detail-recording-1280x800");

        // Byte ranges are served (the browser seeks with them), and only to signed-in viewers.
        var ranged = await page.APIRequest.GetAsync($"recordings/calls/{callId}", new() { Headers = new Dictionary<string, string> { ["Range"] = "bytes=0-99" } });
        Assert.Equal(206, ranged.Status);
        Assert.Equal(100, (await ranged.BodyAsync()).Length);
        Assert.Equal("audio/ogg", ranged.Headers["content-type"]);
        await page.Context.CloseAsync();

        var anonymous = await console.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = console.BaseUrl.ToString() });
        var refused = await anonymous.APIRequest.GetAsync($"recordings/calls/{callId}", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refused.Status);
        Assert.NotEqual("audio/ogg", refused.Headers.GetValueOrDefault("content-type"));
        var missing = await (await console.SignedInPageAsync("viewer")).APIRequest.GetAsync($"recordings/calls/{Guid.NewGuid()}");
        Assert.Equal(404, missing.Status);
        await anonymous.CloseAsync();
    }

    /// <summary>3 s of a caller tone (left) and a later agent tone (right), encoded by the recorder's own code.</summary>
    private static byte[] ThreeSecondRecording()
    {
        using var output = new MemoryStream();
        using (var recording = new CallRecording(output, new EngineAudioFormat(16_000, 24_000), new RecordingOptions()))
        {
            recording.Agent(Tone(600, 1.0, 24_000));
            for (var frame = 0; frame < 150; frame++)
            {
                recording.Caller(frame < 75 ? new byte[640] : Tone(300, 0.02, 16_000));
            }

            recording.Finish();
        }

        return output.ToArray();
    }

    private static byte[] Tone(double hz, double seconds, int rate)
    {
        var samples = (int)(seconds * rate);
        var bytes = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(6000 * Math.Sin(2 * Math.PI * hz * i / rate)));
        }

        return bytes;
    }
}
