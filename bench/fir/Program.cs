using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Numerics;
using System.Runtime.InteropServices;
using LeadGen.Core.Audio;
using LeadGen.Tools;

// The resamplers spend their time in one inner product per output sample (24,000 a second per call). Ours: what
// LeadGen.Core/Audio runs, TensorPrimitives.Dot. Baseline: the hand-vectorised Vector<float> loop it replaced (kept
// below so the choice can be re-measured). The filters are the ones the call path uses: the 24→8 kHz decimator's
// low-pass and one phase of the 8→16 kHz interpolator. Each round runs the same sliding windows over 20 ms frames through
// both implementations, alternating which goes first, and checks they agree; the medians of the per-round times are compared.
var quickOption = new Option<bool>("--quick") { Description = "Shorter rounds (0.2 s) and 5 of them." };
var secondsOption = new Option<double?>("--seconds") { Description = "Seconds per implementation per round (default 1).", CustomParser = result => ToolCommandLine.NonNegativeNumber(result) };
var roundsOption = new Option<int?>("--rounds") { Description = "Rounds (default 11, or 5 with --quick).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var command = new RootCommand("FIR benchmark: TensorPrimitives.Dot (ours) vs a hand-vectorised Vector<float> loop on the resamplers' filters.") { quickOption, secondsOption, roundsOption };
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var quick = parsed.GetValue(quickOption);
var seconds = parsed.GetValue(secondsOption) ?? (quick ? 0.2 : 1);
var rounds = parsed.GetValue(roundsOption) ?? (quick ? 5 : 11);

// Decimator: taps of the 24 kHz low-pass (3.3 kHz pass, 4 kHz stop, 60 dB), one output per 3 inputs of a 480-sample frame.
// Interpolator: one polyphase branch of the 16 kHz prototype (3.4/4.6 kHz, 60 dB) over a 160-sample frame, two per input.
var decimatorTaps = Floats(LowPassFilterDesign.Design(24000, 3300, 4000, 60));
var prototype = LowPassFilterDesign.Design(16000, 3400, 4600, 60, gain: 2);
var phaseTaps = Floats([.. prototype.Where((_, index) => index % 2 == 0)]);
var random = new Random(20261202);
var decimatorInput = Samples(random, decimatorTaps.Length - 1 + 480);
var interpolatorInput = Samples(random, phaseTaps.Length - 1 + 160);
Console.WriteLine($"fir bench: decimator {decimatorTaps.Length} taps (160 dots per 20 ms frame), interpolator phase {phaseTaps.Length} taps (2 × 160 dots per frame); {rounds} rounds of {seconds:F1} s each; Vector<float> = {System.Numerics.Vector<float>.Count} lanes");

float Frame<TDot>()
    where TDot : IDot
{
    var sum = 0f;
    for (var n = 0; n < 160; n++)
    {
        sum += TDot.Dot(decimatorTaps, decimatorInput.AsSpan(n * 3, decimatorTaps.Length));
    }

    for (var i = 0; i < 160; i++)
    {
        var window = interpolatorInput.AsSpan(i, phaseTaps.Length);
        sum += TDot.Dot(phaseTaps, window);
        sum += TDot.Dot(phaseTaps, window); // the second phase has the same length; its taps differ, not its cost
    }

    return sum;
}

var oursFrame = Frame<Ours>();
var loopFrame = Frame<VectorLoop>();
if (Math.Abs(oursFrame - loopFrame) > 1e-3 * Math.Max(1, Math.Abs(oursFrame)))
{
    Console.Error.WriteLine($"fir bench: the implementations disagree ({oursFrame} vs {loopFrame})");
    return 1;
}

// Warm-up: both through tiered JIT (tier-1 with dynamic PGO, as the servers run them) before anything is timed; on a
// loaded machine the background JIT is slow, and shorter warm-ups measured unoptimised code (first rounds 15× slower).
for (var i = 0; i < 3; i++)
{
    Measure<Ours>(quick ? 0.3 : 1);
    Measure<VectorLoop>(quick ? 0.3 : 1);
}
var oursTimes = new List<double>();
var loopTimes = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    double o, l;
    if (round % 2 == 1)
    {
        o = Measure<Ours>(seconds);
        l = Measure<VectorLoop>(seconds);
    }
    else
    {
        l = Measure<VectorLoop>(seconds);
        o = Measure<Ours>(seconds);
    }

    oursTimes.Add(o);
    loopTimes.Add(l);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: TensorPrimitives.Dot {o:F2} µs/frame, Vector<float> loop {l:F2} µs/frame"));
}

var oursMedian = Median(oursTimes);
var loopMedian = Median(loopTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fir ours={oursMedian:F2} baseline={loopMedian:F2} unit=us/frame ratio={oursMedian / loopMedian:F3} ours_impl=TensorPrimitives.Dot baseline_impl=VectorLoop rounds={rounds} load1={LoadAverage()}"));
return 0;

// Microseconds per 20 ms frame (480 dots), timed over whole batches of frames for about `duration` seconds.
double Measure<TDot>(double duration)
    where TDot : IDot
{
    var frames = 0L;
    var sink = 0f;
    var stopwatch = Stopwatch.StartNew();
    while (stopwatch.Elapsed.TotalSeconds < duration)
    {
        for (var i = 0; i < 100; i++)
        {
            sink += Frame<TDot>();
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

/// <summary>One implementation of the FIR inner product, dispatched statically so neither pays for a delegate call.</summary>
internal interface IDot
{
    static abstract float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window);
}

internal readonly struct Ours : IDot
{
    public static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window) => TensorPrimitives.Dot(taps, window);
}

/// <summary>The resamplers' former FirDot: Vector&lt;float&gt; multiply-adds, one horizontal sum, a scalar tail.</summary>
internal readonly struct VectorLoop : IDot
{
    public static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window)
    {
        var length = Math.Min(taps.Length, window.Length);
        var k = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            var a = MemoryMarshal.Cast<float, Vector<float>>(taps[..length]);
            var b = MemoryMarshal.Cast<float, Vector<float>>(window[..length]);
            var accumulator = Vector<float>.Zero;
            for (var i = 0; i < a.Length; i++)
            {
                accumulator += a[i] * b[i];
            }

            sum = Vector.Sum(accumulator);
            k = a.Length * Vector<float>.Count;
        }

        for (; k < length; k++)
        {
            sum += taps[k] * window[k];
        }

        return sum;
    }
}
