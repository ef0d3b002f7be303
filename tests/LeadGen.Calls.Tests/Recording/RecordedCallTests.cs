using System.Text.Json.Nodes;
using LeadGen.Calls.Tests.Calls;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Recording;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using LeadGen.Testing.GoogleCloud;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Calls.Tests.Recording;

/// <summary>
/// End to end: a simulated phone call through the real VoiceApi and the fake Gemini Live server is recorded by the
/// bridge and stored in Cloud Storage (the fake JSON API, through the production client), linked to the call.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class RecordedCallTests(SharedServers servers)
{
    [Fact]
    public async Task A_call_is_recorded_with_the_caller_left_and_the_agent_right_and_stored_in_cloud_storage()
    {
        await using var gcs = await FakeCloudStorageServer.StartAsync();
        await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
        {
            OpeningReply = "Hi, this is Ava, an AI assistant. This call may be recorded.",
            Turns =
            [
                new("Yes, I'm interested.", "Great, I will send you the details. Goodbye!",
                    ToolAfterReply: new FakeToolCall("end_call", new JsonObject { ["outcome"] = "qualified" })),
            ],
        });
        await using var host = await VoiceApiHost.StartAsync(servers, gemini.Endpoint, new Dictionary<string, string?>
        {
            ["Recordings:Bucket"] = gcs.Bucket,
            ["Recordings:StorageEndpoint"] = gcs.BaseUri,
        });
        var (_, lead, call) = await host.CreateOutboundCallAsync("+15550100081");

        using var http = new HttpClient();
        var result = await SimulatedCall.RunAsync(host.CallTo(call, lead,
        [
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.Say(CallerSpeech.Say("Yes, I am interested.")),
            new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1)),
            new CallerStep.Pause(TimeSpan.FromSeconds(20)), // the agent hangs up after its goodbye
        ]), http, CancellationToken.None);
        Assert.True(result.EndedByServer);

        var stored = await Eventually.WaitForAsync(() => host.Calls.GetAsync(call.Id, CancellationToken.None), c => c?.RecordingKey is not null);
        Assert.Equal(CallRecorder.KeyFor(call.Id), stored!.RecordingKey);
        var recording = gcs.Objects[stored.RecordingKey!];
        Assert.Equal("audio/ogg", recording.ContentType);
        Assert.Contains(gcs.Requests, r => r.Contains("uploadType=resumable", StringComparison.Ordinal));

        var (left, right) = OggOpusFile.Decode(recording.Content);
        var seconds = left.Length / (double)OggOpusFile.DecodeRate;
        Assert.InRange(seconds, result.Duration.TotalSeconds - 3, result.Duration.TotalSeconds + 1); // the caller's audio is the clock
        // Where each side spoke: the caller's words on the left, the agent's greeting and goodbye on the right, and
        // each channel quiet while only the other side talks.
        var callerLoud = Windows(left).Where(w => w.Rms > 500).Select(w => w.At).ToList();
        var agentLoud = Windows(right).Where(w => w.Rms > 500).Select(w => w.At).ToList();
        Assert.NotEmpty(callerLoud);
        Assert.NotEmpty(agentLoud);
        Assert.True(agentLoud[0] < callerLoud[0], "the agent's greeting comes before the caller speaks");
        Assert.Contains(agentLoud, at => at > callerLoud[^1]); // the goodbye comes after
        // The first and last 200 ms windows of the caller's words may straddle the turn boundary: judge the ones inside.
        var inner = callerLoud.Where(at => at > callerLoud[0] && at < callerLoud[^1]).ToList();
        Assert.NotEmpty(inner);
        var agentWhileCallerSpoke = Windows(right).Where(w => inner.Contains(w.At)).Average(w => w.Rms);
        Assert.True(agentWhileCallerSpoke < 100, $"the caller's words are not on the agent's channel (agent RMS {agentWhileCallerSpoke:F0} while the caller spoke at [{string.Join(", ", callerLoud)}] s; agent at [{string.Join(", ", agentLoud)}] s)");
    }

    [Fact]
    public async Task A_campaign_that_does_not_record_gets_no_recording_and_no_recording_notice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "leadgen-tests", "norecord", Guid.NewGuid().ToString("N"));
        await using var host = await VoiceApiHost.StartAsync(servers, null, new Dictionary<string, string?> { ["Recordings:Store"] = "local", ["Recordings:LocalPath"] = folder });
        var (_, _, recorded) = await host.CreateOutboundCallAsync("+15550100082");
        var (_, _, unrecorded) = await host.CreateOutboundCallAsync("+15550100083", VoiceApiHost.DefaultCampaign with { RecordCalls = false });
        var recorder = host.Services.GetRequiredService<CallRecorder>();
        var contexts = host.Services.GetRequiredService<ICallContextProvider>();
        var audio = new EngineAudioFormat(16_000, 24_000);

        await using (var on = await recorder.StartAsync(recorded.Id, audio, CancellationToken.None))
        {
            Assert.NotNull(on);
            await on.SaveAsync(); // no audio went through it
        }

        Assert.Null(await recorder.StartAsync(unrecorded.Id, audio, CancellationToken.None));
        Assert.Null((await host.Calls.GetAsync(recorded.Id, CancellationToken.None))!.RecordingKey);
        Assert.Contains("may be recorded", (await contexts.LoadAsync(recorded.Id, CancellationToken.None)).OpeningLine, StringComparison.Ordinal);
        var opening = (await contexts.LoadAsync(unrecorded.Id, CancellationToken.None)).OpeningLine;
        Assert.DoesNotContain("recorded", opening, StringComparison.Ordinal);
        Assert.Contains("AI assistant", opening, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any()); // a recording without audio is not stored
    }

    /// <summary>RMS per 200 ms window.</summary>
    private static IEnumerable<(double At, double Rms)> Windows(short[] samples)
    {
        for (var at = 0.0; at + 0.2 <= samples.Length / (double)OggOpusFile.DecodeRate; at += 0.2)
        {
            yield return (Math.Round(at, 1), OggOpusFile.Rms(samples, TimeSpan.FromSeconds(at), TimeSpan.FromSeconds(at + 0.2)));
        }
    }
}
