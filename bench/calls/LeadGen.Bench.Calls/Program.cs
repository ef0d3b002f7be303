using System.Diagnostics;
using System.Globalization;
using LeadGen.Bench.Calls;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Npgsql;

var quick = args.Contains("--quick");
// Default 150: what this 2-core machine carries with room to spare (VoiceApi ≈ 0.5 core + driver ≈ 0.45 core, warmed up).
var calls = Option("--calls", quick ? 50 : 150);
var seconds = Option("--seconds", quick ? 6 : 15);
var warmUpRounds = Option("--warmup-rounds", quick ? 1 : 2);
// Default: the model sends each whole reply at once, the worst case for the relay (a reply's last frames queue behind
// its first). --paced: the model streams at twice real time, closer to how the real one delivers audio.
var paced = args.Contains("--paced");
var voiceApiDll = args.SkipWhile(a => a != "--voiceapi").Skip(1).FirstOrDefault()
    ?? throw new ArgumentException("--voiceapi PATH is required (bench/run.sh passes it).");

Console.WriteLine($"calls: {calls} concurrent calls, ~{seconds} s each{(quick ? " (quick)" : string.Empty)}, model replies {(paced ? "paced at 2× real time" : "sent whole at once")}");
var (callerFrameUs, modelChunkUs) = MediaPathCost.Measure();
Console.WriteLine($"calls: media path CPU (one thread, no sockets): caller frame {callerFrameUs:F1} µs, model 40 ms chunk {modelChunkUs:F1} µs");
await using var postgres = await LocalPostgres.StartAsync();
await using var redis = await LocalRedis.StartAsync();
var connectionString = await postgres.CreateMigratedDatabaseAsync("bench");
const int wordMs = 200; // a multiple of 40 ms: every fake audio chunk becomes exactly two 20 ms frames
await using var gemini = await FakeGeminiLiveServer.StartAsync(new FakeGeminiScript
{
    OpeningReply = "Hi this is an AI assistant and this call may be recorded",
    Turns = Enumerable.Range(0, 20).Select(i => new FakeGeminiTurn($"caller line {i}", "Thanks that is helpful can you tell me more")).ToList(),
    PaceAudio = paced,
    ReplyDelay = TimeSpan.Zero,
    SpeechMsPerWord = wordMs,
    EndOfTurnSilenceMs = 300,
});

await using var dataSource = NpgsqlDataSource.Create(connectionString);
var campaignStore = new CampaignStore(dataSource, TimeProvider.System);
var leadStore = new LeadStore(dataSource, TimeProvider.System);
var callStore = new CallStore(dataSource, TimeProvider.System);
var campaign = await campaignStore.CreateAsync("bench", new CampaignSettings { CompanyName = "Bench Co" }, CancellationToken.None);
var callIds = await CreateCallsAsync("Bench", "+1555", calls);
var warmUpCalls = Math.Min(calls, 50);

await using var voiceApi = await VoiceApiProcess.StartAsync(voiceApiDll, connectionString, redis.ConnectionString, gemini.Endpoint);
Console.WriteLine($"calls: VoiceApi pid {voiceApi.ProcessId} on {voiceApi.BaseUrl}");

// Ours: every caller waits for the greeting, then speaks and listens in turns until the time is up.
var speech = SyntheticVoice(800);
var turns = Math.Max(1, (seconds - 4) / 3);
var script = new List<CallerStep> { new CallerStep.WaitForAgent(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300)) };
for (var t = 0; t < turns; t++)
{
    script.Add(new CallerStep.Say(speech));
    script.Add(new CallerStep.WaitForAgent(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300)));
}

using var http = new HttpClient();

// Warm-up, not measured: a server runs for hours, so what matters is its steady state. Without this, the first seconds
// of the run are spent in the JIT (tiered compilation and PGO instrumentation took ~25% of the VoiceApi's CPU in a
// 15 s run) in both processes.
// Two rounds: the first calls compile everything at tier 0; tier-1 (PGO) recompilation follows in the background and
// was still ~3,500 methods behind after one round of 50 calls.
var warmUpWall = Stopwatch.StartNew();
for (var round = 0; round < warmUpRounds; round++)
{
    var phonePrefix = $"+14{round + 4}4";
    await RunCallsAsync(await CreateCallsAsync($"Warm{round}x", phonePrefix, warmUpCalls), phonePrefix, [script[0], script[1], script[2]]);
}

Console.WriteLine($"calls: warm-up {warmUpRounds} × {warmUpCalls} calls in {warmUpWall.Elapsed.TotalSeconds:F1} s (not measured)");

var cpuBefore = voiceApi.CpuTime();
var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
var loadBefore = LoadAverage();
var wall = Stopwatch.StartNew();
var results = await RunCallsAsync(callIds, "+1555", script);
wall.Stop();
var cpuSeconds = (voiceApi.CpuTime() - cpuBefore).TotalSeconds;
var rssMb = voiceApi.PeakRssMb();
var driverCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore).TotalSeconds;
var loadAfter = LoadAverage();
Console.WriteLine($"calls: driver CPU {driverCpuSeconds:F1} s ({100 * driverCpuSeconds / wall.Elapsed.TotalSeconds:F0}% of one core), GCs gen0/1/2 {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}, thread pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} queued; load average {loadBefore} → {loadAfter} on {Environment.ProcessorCount} cores");

// Relay latency: fake chunk k (40 ms) becomes caller frames 2k and 2k+1; frame 2k's arrival minus chunk k's send time.
var relay = new List<double>();
var droppedToCaller = 0L;
var sessions = gemini.Sessions.ToList();
for (var i = 0; i < calls; i++)
{
    var key = $"Bench{i:D5}";
    var session = sessions.FirstOrDefault(s => s.SystemInstruction.Contains(key, StringComparison.Ordinal));
    if (session is null)
    {
        droppedToCaller += 1;
        continue;
    }

    var chunks = session.ChunkTimestamps;
    var frames = results[i].AgentFrameTimestamps;
    droppedToCaller += Math.Max(0, 2 * chunks.Count - frames.Count);
    for (var k = 0; k < chunks.Count && 2 * k < frames.Count; k++)
    {
        relay.Add(Stopwatch.GetElapsedTime(chunks[k], frames[2 * k]).TotalMilliseconds);
    }
}

// Caller audio that never reached the model, per call (the fake model counts what each session received). A caller's
// last frames can still be on their way through the VoiceApi when its call returns, so the counts are read once they
// have stopped moving.
var callerFrames = results.Sum(r => (long)r.CallerFramesSent);
var benchSessions = Enumerable.Range(0, calls)
    .Select(i => sessions.FirstOrDefault(s => s.SystemInstruction.Contains($"Bench{i:D5}", StringComparison.Ordinal)))
    .ToList();
await SettledAsync(() => benchSessions.Sum(s => s?.AudioMessages ?? 0));
var lostPerCall = Enumerable.Range(0, calls)
    .Select(i => (Index: i, Lost: Math.Max(0, results[i].CallerFramesSent - (benchSessions[i]?.AudioMessages ?? 0))))
    .Where(c => c.Lost > 0).ToList();
var droppedToModel = lostPerCall.Sum(c => c.Lost);
if (lostPerCall.Count > 0)
{
    Console.WriteLine($"calls: caller frames the model never got, per call: {string.Join(", ", lostPerCall.Take(10).Select(c => $"#{c.Index}: {c.Lost}"))}");
}

var dropped = droppedToCaller + droppedToModel;
// Server-added turn latency: caller's end of speech → first agent frame, minus what the fake model itself waits
// (its end-of-turn silence, 300 ms, detected at 20 ms frame granularity).
var turnLatencies = results.SelectMany(r => r.TurnLatenciesMs).Select(l => Math.Max(0, l - 300)).ToList();
var failedCalls = results.Count(r => r.VoiceStatusCode != 200 || !r.StreamOpened);

// Baseline: the same number of sockets streaming 20 ms frames to a bare echo endpoint for the same time.
await using var echo = await EchoServer.StartAsync();
var echoResult = await EchoServer.RunCallersAsync(echo.Url, calls, TimeSpan.FromSeconds(seconds));

Console.WriteLine($"calls: ours   {calls} calls in {wall.Elapsed.TotalSeconds:F1} s, failed {failedCalls}, frames relayed {relay.Count}, caller frames {callerFrames}");
Console.WriteLine($"calls: ours   relay p50 {Percentile(relay, 50):F2} ms  p99 {Percentile(relay, 99):F2} ms  dropped {dropped} ({droppedToCaller} agent frames, {droppedToModel} caller frames)");
Console.WriteLine($"calls: ours   server-added turn latency p50 {Percentile(turnLatencies, 50):F1} ms  p99 {Percentile(turnLatencies, 99):F1} ms over {turnLatencies.Count} turns");
Console.WriteLine($"calls: ours   VoiceApi CPU {cpuSeconds:F1} s over {wall.Elapsed.TotalSeconds:F1} s ({100 * cpuSeconds / wall.Elapsed.TotalSeconds:F0}% of one core), peak RSS {rssMb:F0} MB");
Console.WriteLine($"calls: floor  echo p50 {Percentile(echoResult.Latencies, 50):F2} ms  p99 {Percentile(echoResult.Latencies, 99):F2} ms  dropped {echoResult.Dropped}");
var ours = Percentile(relay, 99);
var baseline = Percentile(echoResult.Latencies, 99);
var inline = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1" ? 1 : 0;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT calls ours={ours:F2} baseline={baseline:F2} unit=ms ratio={ours / Math.Max(baseline, 0.001):F2} calls={calls} p99_ms={ours:F2} dropped={dropped} turn_p99_ms={Percentile(turnLatencies, 99):F1} rss_mb={rssMb:F0} cpu_pct={100 * cpuSeconds / wall.Elapsed.TotalSeconds:F0} driver_cpu_pct={100 * driverCpuSeconds / wall.Elapsed.TotalSeconds:F0} failed={failedCalls} paced={(paced ? 1 : 0)} inline_completions={inline} load1={loadAfter}"));
return 0;

// One campaign, one lead and one queued call per simulated caller; the name prefix tells the fake model's sessions apart.
async Task<Guid[]> CreateCallsAsync(string namePrefix, string phonePrefix, int count)
{
    var ids = new Guid[count];
    for (var i = 0; i < count; i++)
    {
        var lead = await leadStore.CreateAsync(campaign.Id, new NewLead { Name = $"{namePrefix}{i:D5} Caller", Phone = $"{phonePrefix}{i:D7}" }, CancellationToken.None);
        ids[i] = (await callStore.CreateAsync(new NewCall { LeadId = lead!.Id, CampaignId = campaign.Id, Direction = CallDirections.Outbound, Provider = "simulator", ToNumber = lead.Phone }, CancellationToken.None)).Id;
    }

    return ids;
}

async Task<SimulatedCallResult[]> RunCallsAsync(Guid[] ids, string phonePrefix, IReadOnlyList<CallerStep> steps) =>
    await Task.WhenAll(ids.Select(async (id, i) =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(i * 2000.0 / ids.Length)); // ramp up over 2 s, as a dialer would
        return await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = new Uri(voiceApi.BaseUrl, $"telephony/twilio/voice?callId={id}"),
            AuthToken = VoiceApiProcess.AuthToken,
            To = $"{phonePrefix}{i:D7}",
            Script = steps,
        }, http, CancellationToken.None);
    }));

static async Task<long> SettledAsync(Func<long> read)
{
    var value = read();
    for (var i = 0; i < 50; i++)
    {
        await Task.Delay(100);
        var next = read();
        if (next == value)
        {
            return value;
        }

        value = next;
    }

    return value;
}

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

// The machine is shared: the 1-minute load average says how much of it this run really had.
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static double Percentile(List<double> values, double percentile)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static byte[] SyntheticVoice(int milliseconds)
{
    var samples = new short[8 * milliseconds];
    for (var n = 0; n < samples.Length; n++)
    {
        samples[n] = (short)(3000 * Math.Sin(2 * Math.PI * 200 * n / 8000.0) + 1500 * Math.Sin(2 * Math.PI * 600 * n / 8000.0));
    }

    var encoded = new byte[samples.Length];
    MuLaw.Encode(samples, encoded);
    return encoded;
}
