using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using LeadGen.Core.Audio;
using LeadGen.Tools;

// The resamplers spend their time in the FIR: 24,000 outputs a second per call. Ours: what LeadGen.Core/Audio runs,
// FirConvolution (vectorised across outputs; the decimator split into its polyphase branches, each over a de-interleaved
// stream). Baseline: the library, System.Numerics.Tensors' TensorPrimitives.Dot, one dot product per output (the
// decimator's full 127-tap filter at every third sample, the interpolator's 26-tap phases), as the resamplers computed
// it before. Same filters, same 20 ms frames, same outputs (checked); rounds alternate which goes first.
var quickOption = new Option<bool>("--quick") { Description = "Shorter rounds (0.2 s) and 5 of them." };
var secondsOption = new Option<double?>("--seconds") { Description = "Seconds per implementation per round (default 1).", CustomParser = result => ToolCommandLine.NonNegativeNumber(result) };
secondsOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double?>() is <= 0)
    {
        result.AddError("--seconds must be more than 0");
    }
});
var roundsOption = new Option<int?>("--rounds") { Description = "Rounds (default 11, or 5 with --quick).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var command = new RootCommand("FIR benchmark: the resamplers' FirConvolution (ours) vs TensorPrimitives.Dot per output on the same filters.") { quickOption, secondsOption, roundsOption };
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var quick = parsed.GetValue(quickOption);
var seconds = parsed.GetValue(secondsOption) ?? (quick ? 0.2 : 1);
var rounds = parsed.GetValue(roundsOption) ?? (quick ? 5 : 11);

// Decimator: the 24 kHz low-pass (3.3 kHz pass, 4 kHz stop, 60 dB), 160 outputs from a 480-sample frame.
// Interpolator: the two polyphase branches of the 16 kHz prototype (3.4/4.6 kHz, 60 dB), 160 outputs each from 160 inputs.
const int Outputs = 160;
const int Factor = 3;
var decimatorTaps = Floats(LowPassFilterDesign.Design(24000, 3300, 4000, 60));
var perPhase = (decimatorTaps.Length + Factor - 1) / Factor;
var decimatorPhases = Enumerable.Range(0, Factor)
    .Select(r => Enumerable.Range(0, perPhase).Select(j => j * Factor + r < decimatorTaps.Length ? decimatorTaps[j * Factor + r] : 0f).ToArray())
    .ToArray();
var prototype = LowPassFilterDesign.Design(16000, 3400, 4600, 60, gain: 2);
var interpolatorPhases = Enumerable.Range(0, 2).Select(phase => Floats([.. prototype.Where((_, index) => index % 2 == phase)])).ToArray();
var random = new Random(20261202);
var decimatorInput = Samples(random, (Outputs + perPhase) * Factor); // long enough for the padded phases too
var interpolatorInput = Samples(random, interpolatorPhases[0].Length - 1 + Outputs);
var streams = Enumerable.Range(0, Factor).Select(_ => new float[Outputs + perPhase - 1]).ToArray();
var decimated = new float[Outputs];
var interpolated = new float[2 * Outputs];
Console.WriteLine($"fir bench: decimator {decimatorTaps.Length} taps ({Factor} branches of {perPhase}), interpolator 2 branches of {interpolatorPhases[0].Length} taps; {Outputs} outputs each per 20 ms frame; {rounds} rounds of {seconds:F1} s each; Vector<float> = {System.Numerics.Vector<float>.Count} lanes");

// One 20 ms frame of both resamplers' FIR work, the way LeadGen.Core/Audio does it.
float OursFrame()
{
    Array.Clear(decimated);
    for (var r = 0; r < Factor; r++)
    {
        var stream = streams[r];
        for (var m = 0; m < stream.Length; m++)
        {
            stream[m] = decimatorInput[m * Factor + r];
        }

        FirConvolution.Accumulate(decimatorPhases[r], stream, decimated);
    }

    for (var phase = 0; phase < 2; phase++)
    {
        var output = interpolated.AsSpan(phase * Outputs, Outputs);
        output.Clear();
        FirConvolution.Accumulate(interpolatorPhases[phase], interpolatorInput, output);
    }

    return decimated[Outputs - 1] + interpolated[^1];
}

// The same outputs with one library dot product each.
float LibraryFrame()
{
    for (var n = 0; n < Outputs; n++)
    {
        decimated[n] = TensorPrimitives.Dot(decimatorTaps, decimatorInput.AsSpan(n * Factor, decimatorTaps.Length));
    }

    for (var phase = 0; phase < 2; phase++)
    {
        var taps = interpolatorPhases[phase];
        for (var i = 0; i < Outputs; i++)
        {
            interpolated[phase * Outputs + i] = TensorPrimitives.Dot(taps, interpolatorInput.AsSpan(i, taps.Length));
        }
    }

    return decimated[Outputs - 1] + interpolated[^1];
}

OursFrame();
var oursOutputs = decimated.Concat(interpolated).ToArray();
LibraryFrame();
var libraryOutputs = decimated.Concat(interpolated).ToArray();
var worst = oursOutputs.Zip(libraryOutputs, (a, b) => Math.Abs(a - b) / Math.Max(1f, Math.Abs(a))).Max();
if (worst > 1e-4)
{
    Console.Error.WriteLine($"fir bench: the implementations disagree (worst relative difference {worst})");
    return 1;
}

// Warm-up: both through tiered JIT (tier-1 with dynamic PGO, as the servers run them) before anything is timed; on a
// loaded machine the background JIT is slow, and shorter warm-ups measured unoptimised code (first rounds 15× slower).
for (var i = 0; i < 3; i++)
{
    Measure(OursFrame, quick ? 0.3 : 1);
    Measure(LibraryFrame, quick ? 0.3 : 1);
}
var oursTimes = new List<double>();
var libraryTimes = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    double o, l;
    if (round % 2 == 1)
    {
        o = Measure(OursFrame, seconds);
        l = Measure(LibraryFrame, seconds);
    }
    else
    {
        l = Measure(LibraryFrame, seconds);
        o = Measure(OursFrame, seconds);
    }

    oursTimes.Add(o);
    libraryTimes.Add(l);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: FirConvolution {o:F2} µs/frame, TensorPrimitives.Dot {l:F2} µs/frame"));
}

var oursMedian = Median(oursTimes);
var libraryMedian = Median(libraryTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fir ours={oursMedian:F2} baseline={libraryMedian:F2} unit=us/frame ratio={oursMedian / libraryMedian:F3} ours_impl=FirConvolution baseline_impl=TensorPrimitives.Dot rounds={rounds} load1={LoadAverage()}"));
return 0;

// Microseconds per 20 ms frame, timed over whole batches of frames for about `duration` seconds.
static double Measure(Func<float> frame, double duration)
{
    var frames = 0L;
    var sink = 0f;
    var stopwatch = Stopwatch.StartNew();
    while (stopwatch.Elapsed.TotalSeconds < duration)
    {
        for (var i = 0; i < 100; i++)
        {
            sink += frame();
        }

        frames += 100;
    }

    stopwatch.Stop();
    GC.KeepAlive(sink);
    return stopwatch.Elapsed.TotalMicroseconds / frames;
}

static float[] Floats(double[] values) => Array.ConvertAll(values, value => (float)value);

static float[] Samples(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * 16000f)];

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
