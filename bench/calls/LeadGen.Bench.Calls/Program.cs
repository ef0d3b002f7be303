using System.Diagnostics;
using System.Globalization;
using LeadGen.Bench.Calls;
using LeadGen.Core.Audio;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Simulator;
using LeadGen.Testing;
using LeadGen.Testing.GeminiLive;
using Npgsql;

if (args.Length >= 3 && args[0] == RelayFloor.Flag)
{
    return await RelayFloor.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), new Uri(args[2]));
}

var quick = args.Contains("--quick");
// Default 150: the issue's goal load; the VoiceApi has one core to itself, the driver (fake model, Postgres, Redis,
// simulated callers) the other.
var calls = Option("--calls", quick ? 50 : 150);
var seconds = Option("--seconds", quick ? 6 : 15);
// The least number of warm-up rounds; more follow while a round is still >5% cheaper than the one before (at most 8).
var warmUpRounds = Math.Max(2, Option("--warmup-rounds", quick ? 2 : 3));
const int MaxWarmUpRounds = 8;
// Measured rounds per server, alternating VoiceApi, floor, VoiceApi, floor, …: the machines here drift ±20% from minute
// to minute (shared hosts), and alternating puts both servers under the same drift; figures are over all rounds.
var repeats = Math.Max(1, Option("--repeat", quick ? 1 : 2));
// Default: the model sends each whole reply at once, the worst case for the relay (a reply's last frames queue behind
// its first). --paced: the model streams at twice real time, closer to how the real one delivers audio.
var paced = args.Contains("--paced");
PinnedServer.ServerCore = args.SkipWhile(a => a != "--server-core").Skip(1).FirstOrDefault() is { } core ? int.Parse(core, CultureInfo.InvariantCulture) : null;
var voiceApiDll = args.SkipWhile(a => a != "--voiceapi").Skip(1).FirstOrDefault()
    ?? throw new ArgumentException("--voiceapi PATH is required (bench/run.sh passes it).");

Console.WriteLine($"calls: {calls} concurrent calls, ~{seconds} s each{(quick ? " (quick)" : string.Empty)}, model replies {(paced ? "paced at 2× real time" : "sent whole at once")}");
Console.WriteLine(PinnedServer.ServerCore is { } serverCore
    ? $"calls: servers pinned to core {serverCore}; this driver, the fake model, Postgres and Redis to {File.ReadAllText("/proc/self/status").Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list", StringComparison.Ordinal))?.Split(':')[1].Trim()}"
    : "calls: NOT pinned (needs taskset and 2 cores): CPU figures include the driver's interference");
var (callerFrameUs, modelChunkUs, callerFrameBytes, modelChunkBytes) = MediaPathCost.Measure();
Console.WriteLine($"calls: media path CPU (one thread, no sockets): caller frame {callerFrameUs:F1} µs and {callerFrameBytes:F0} bytes allocated, model 40 ms chunk {modelChunkUs:F1} µs and {modelChunkBytes:F0} bytes");
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
var warmUpCalls = Math.Min(calls, 50);

// Every caller waits for the greeting, then speaks and listens in turns until the time is up.
var speech = SyntheticVoice(800);
var turns = Math.Max(1, (seconds - 4) / 3);
var script = new List<CallerStep> { new CallerStep.WaitForAgent(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300)) };
for (var t = 0; t < turns; t++)
{
    script.Add(new CallerStep.Say(speech));
    script.Add(new CallerStep.WaitForAgent(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300)));
}

using var http = new HttpClient();

// Both servers run from the start (pinned to the same core; the idle one costs nothing) and are warmed up first, not
// measured: a server runs for hours, so what matters is its steady state (see WarmUpAsync).
await using var voiceApi = await PinnedServer.StartVoiceApiAsync(voiceApiDll, connectionString, redis.ConnectionString, gemini.Endpoint, PinnedServer.FreePortNumber());
await using var relay = await PinnedServer.StartFloorAsync(gemini.Endpoint, PinnedServer.FreePortNumber());
Console.WriteLine($"calls: VoiceApi pid {voiceApi.ProcessId} on {voiceApi.BaseUrl}, relay floor pid {relay.ProcessId} on {relay.BaseUrl}");
await WarmUpAsync("VoiceApi", voiceApi, async round =>
{
    var phonePrefix = $"+14{round + 4}4";
    var warmIds = await CreateCallsAsync($"Warm{round}x", phonePrefix, warmUpCalls);
    await RunCallsAsync(warmIds.Length, i => new Uri(voiceApi.BaseUrl, $"telephony/twilio/voice?callId={warmIds[i]}"), phonePrefix, [script[0], script[1], script[2]]);
});
// The floor: same core, same callers, same fake model (in floor mode), same warm-up.
await WarmUpAsync("floor", relay, round => RunCallsAsync(warmUpCalls, i => new Uri(relay.BaseUrl, $"voice?key=FloorWarm{round}x{i:D5}"), "+1666", [script[0], script[1], script[2]]));

var oursRounds = new List<Phase>();
var floorRounds = new List<Phase>();
for (var round = 0; round < repeats; round++)
{
    var phonePrefix = $"+15{round + 5}5";
    var callIds = await CreateCallsAsync($"Bench{round}x", phonePrefix, calls);
    oursRounds.Add(await MeasureAsync("VoiceApi", voiceApi, i => new Uri(voiceApi.BaseUrl, $"telephony/twilio/voice?callId={callIds[i]}"), i => $"Bench{round}x{i:D5}", phonePrefix));
    floorRounds.Add(await MeasureAsync("floor", relay, i => new Uri(relay.BaseUrl, $"voice?key=Floor{round}x{i:D5}"), i => $"Floor{round}x{i:D5}", phonePrefix));
}

var ours = Phase.Combine(oursRounds);
var floor = Phase.Combine(floorRounds);
var rssMb = voiceApi.PeakRssMb();
var floorRssMb = relay.PeakRssMb();

// Both servers carry the same calls (same script, same replies), so a call is the unit of work; a call-second is one
// second of such a call in real time, measured where the server adds least (the floor). Dividing by the VoiceApi's own
// call durations instead would flatter it whenever its calls stretch (a late relay makes callers wait longer, and the
// extra seconds are cheap silence), which on a loaded machine they do.
var callSeconds = floor.CallSeconds;
var cpuMsPerCallSecond = 1000 * ours.CpuSeconds / callSeconds;
var floorCpuMsPerCallSecond = 1000 * floor.CpuSeconds / callSeconds;
Console.WriteLine($"calls: over {repeats} measured round(s) each: relay p50 {ours.RelayP50:F2} vs {floor.RelayP50:F2} ms, turn p50 {ours.TurnP50:F1} vs {floor.TurnP50:F1} ms");
Console.WriteLine($"calls: a call lasted {ours.CallSeconds / (calls * repeats):F1} s on average through the VoiceApi, {floor.CallSeconds / (calls * repeats):F1} s through the floor (the unit of a call-second)");
var ratio = cpuMsPerCallSecond / Math.Max(floorCpuMsPerCallSecond, 0.001);
Console.WriteLine($"calls: VoiceApi {cpuMsPerCallSecond:F2} CPU ms per call-second ({1000 / cpuMsPerCallSecond:F0} calls per core), floor {floorCpuMsPerCallSecond:F2} ({1000 / floorCpuMsPerCallSecond:F0} calls per core): ratio {ratio:F2}; peak RSS {rssMb:F0} MB vs {floorRssMb:F0} MB");
var inline = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1" ? 1 : 0;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT calls ours={cpuMsPerCallSecond:F3} baseline={floorCpuMsPerCallSecond:F3} unit=cpu_ms_per_call_s ratio={ratio:F2} cpu_ms_per_call_s={cpuMsPerCallSecond:F3} floor_cpu_ms_per_call_s={floorCpuMsPerCallSecond:F3} p99_ms={ours.RelayP99:F2} floor_p99_ms={floor.RelayP99:F2} turn_p99_ms={ours.TurnP99:F1} floor_turn_p99_ms={floor.TurnP99:F1} dropped={ours.Dropped} calls={calls} floor_dropped={floor.Dropped} calls_per_core={1000 / cpuMsPerCallSecond:F0} failed={ours.Failed} floor_failed={floor.Failed} rss_mb={rssMb:F0} pinned={(PinnedServer.ServerCore is null ? 0 : 1)} paced={(paced ? 1 : 0)} inline_completions={inline} load1={LoadAverage()}"));
return 0;

// Rounds of 50 short calls until the server's CPU per round stops falling (tier 0, then tiered-PGO instrumented code,
// then tier 1: a method moves up only while calls run, and its compilation costs CPU of its own). Each round ends when
// the server has gone idle, its background JIT done. Measured: 7.7 → 4.9 → 1.7 → 1.6 → 1.8 s per round; with a fixed
// two rounds the measured phase still spent ~10% of the VoiceApi's CPU in the JIT and ~15% in instrumented code.
async Task WarmUpAsync(string name, PinnedServer server, Func<int, Task> runRound)
{
    var wall = Stopwatch.StartNew();
    var rounds = new List<double>();
    for (var round = 0; round < MaxWarmUpRounds; round++)
    {
        var cpuBefore = server.CpuTime();
        await runRound(round);
        await server.QuietAsync();
        rounds.Add((server.CpuTime() - cpuBefore).TotalSeconds);
        if (rounds.Count >= warmUpRounds && rounds[^1] > 0.95 * rounds[^2])
        {
            break; // no longer getting cheaper
        }
    }

    Console.WriteLine($"calls: {name} warm-up {rounds.Count} × {warmUpCalls} calls in {wall.Elapsed.TotalSeconds:F1} s (not measured), server CPU per round {string.Join(" → ", rounds.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} s");
}

async Task<Phase> MeasureAsync(string name, PinnedServer server, Func<int, Uri> voiceUrl, Func<int, string> key, string phonePrefix)
{
    var cpuBefore = server.CpuTime();
    var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var loadBefore = LoadAverage();
    var wall = Stopwatch.StartNew();
    var results = await RunCallsAsync(calls, voiceUrl, phonePrefix, script);
    wall.Stop();
    var cpuSeconds = (server.CpuTime() - cpuBefore).TotalSeconds;
    var driverCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore).TotalSeconds;

    // Relay latency: fake chunk k (40 ms) becomes caller frames 2k and 2k+1; frame 2k's arrival minus chunk k's send time.
    var sessions = gemini.Sessions.ToList();
    var byCall = Enumerable.Range(0, calls).Select(i => sessions.FirstOrDefault(s => s.SystemInstruction.Contains(key(i), StringComparison.Ordinal))).ToList();
    var relayMs = new List<double>();
    var droppedToCaller = 0L;
    for (var i = 0; i < calls; i++)
    {
        if (byCall[i] is not { } session)
        {
            droppedToCaller += 1;
            continue;
        }

        var chunks = session.ChunkTimestamps;
        var frames = results[i].AgentFrameTimestamps;
        droppedToCaller += Math.Max(0, 2 * chunks.Count - frames.Count);
        for (var k = 0; k < chunks.Count && 2 * k < frames.Count; k++)
        {
            relayMs.Add(Stopwatch.GetElapsedTime(chunks[k], frames[2 * k]).TotalMilliseconds);
        }
    }

    // Caller audio that never reached the model. A caller's last frames can still be on their way when its call
    // returns, so the counts are read once they have stopped moving.
    await SettledAsync(() => byCall.Sum(s => s?.AudioFrames ?? 0));
    var lost = Enumerable.Range(0, calls).Select(i => (Index: i, Lost: Math.Max(0, results[i].CallerFramesSent - (byCall[i]?.AudioFrames ?? 0)))).Where(c => c.Lost > 0).ToList();
    if (lost.Count > 0)
    {
        Console.WriteLine($"calls: {name}: caller frames the model never got, per call: {string.Join(", ", lost.Take(10).Select(c => $"#{c.Index}: {c.Lost}"))}");
    }

    // Server-added turn latency: caller's end of speech → first agent frame, minus what the fake model itself waits
    // (its end-of-turn silence, 300 ms, detected at 20 ms frame granularity).
    var turnMs = results.SelectMany(r => r.TurnLatenciesMs).Select(l => Math.Max(0, l - 300)).ToList();
    var phase = new Phase(
        cpuSeconds,
        results.Sum(r => r.Duration.TotalSeconds),
        relayMs,
        turnMs,
        droppedToCaller + lost.Sum(c => c.Lost),
        results.Count(r => r.VoiceStatusCode != 200 || !r.StreamOpened));
    Console.WriteLine($"calls: {name,-8} {calls} calls in {wall.Elapsed.TotalSeconds:F1} s ({phase.CallSeconds:F0} call-seconds), failed {phase.Failed}, frames relayed {relayMs.Count}, caller frames {results.Sum(r => (long)r.CallerFramesSent)}");
    Console.WriteLine($"calls: {name,-8} relay p50 {Phase.Percentile(relayMs, 50):F2} ms  p99 {phase.RelayP99:F2} ms; turn p50 {Phase.Percentile(turnMs, 50):F1} ms  p99 {phase.TurnP99:F1} ms over {turnMs.Count} turns; dropped {phase.Dropped} ({droppedToCaller} agent frames)");
    Console.WriteLine($"calls: {name,-8} server CPU {cpuSeconds:F2} s ({100 * cpuSeconds / wall.Elapsed.TotalSeconds:F0}% of its core); driver CPU {100 * driverCpuSeconds / wall.Elapsed.TotalSeconds:F0}% of a core; load average {loadBefore} → {LoadAverage()} on a {MachineCores()}-core machine");
    return phase;
}

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

async Task<SimulatedCallResult[]> RunCallsAsync(int count, Func<int, Uri> voiceUrl, string phonePrefix, IReadOnlyList<CallerStep> steps) =>
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(i * 2000.0 / count)); // ramp up over 2 s, as a dialer would
        return await SimulatedCall.RunAsync(new SimulatedCallOptions
        {
            VoiceUrl = voiceUrl(i),
            AuthToken = PinnedServer.AuthToken,
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

// Environment.ProcessorCount counts only the cores this pinned driver may use.
static int MachineCores() => File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)) : Environment.ProcessorCount;

// The machine is shared: the 1-minute load average says how much of it this run really had.
static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

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

/// <summary>One measured round (or several combined): server CPU, call-seconds, the relay and turn latency samples.</summary>
internal sealed record Phase(double CpuSeconds, double CallSeconds, List<double> RelayMs, List<double> TurnMs, long Dropped, int Failed)
{
    public double RelayP50 => Percentile(RelayMs, 50);

    public double RelayP99 => Percentile(RelayMs, 99);

    public double TurnP50 => Percentile(TurnMs, 50);

    public double TurnP99 => Percentile(TurnMs, 99);

    public static Phase Combine(IReadOnlyList<Phase> rounds) => new(
        rounds.Sum(r => r.CpuSeconds),
        rounds.Sum(r => r.CallSeconds),
        [.. rounds.SelectMany(r => r.RelayMs)],
        [.. rounds.SelectMany(r => r.TurnMs)],
        rounds.Sum(r => r.Dropped),
        rounds.Sum(r => r.Failed));

    public static double Percentile(List<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
