using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using LeadGen.Core.Audio;
using LeadGen.Tools;

// The resamplers spend their time in one inner product per output sample (24,000 a second per call). The filters are
// the ones the call path uses: the 24→8 kHz decimator's low-pass and one phase of the 8→16 kHz interpolator. Each
// round runs the same sliding windows over 20 ms frames through both implementations, alternating which goes first,
// and checks they agree; the medians of the per-round times are compared.
var quickOption = new Option<bool>("--quick") { Description = "Shorter rounds (0.2 s) and 5 of them." };
var secondsOption = new Option<double?>("--seconds") { Description = "Seconds per implementation per round (default 1).", CustomParser = result => ToolCommandLine.NonNegativeNumber(result) };
var roundsOption = new Option<int?>("--rounds") { Description = "Rounds (default 9, or 5 with --quick).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var command = new RootCommand("FIR benchmark: FirDot (ours) vs TensorPrimitives.Dot on the resamplers' filters.") { quickOption, secondsOption, roundsOption };
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var quick = parsed.GetValue(quickOption);
var seconds = parsed.GetValue(secondsOption) ?? (quick ? 0.2 : 1);
var rounds = parsed.GetValue(roundsOption) ?? (quick ? 5 : 9);

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
var libraryFrame = Frame<Library>();
if (Math.Abs(oursFrame - libraryFrame) > 1e-3 * Math.Max(1, Math.Abs(oursFrame)))
{
    Console.Error.WriteLine($"fir bench: the implementations disagree ({oursFrame} vs {libraryFrame})");
    return 1;
}

// Warm-up: both through tier-1 JIT before anything is timed.
Measure<Ours>(0.3);
Measure<Library>(0.3);
var oursTimes = new List<double>();
var libraryTimes = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    double o, l;
    if (round % 2 == 1)
    {
        o = Measure<Ours>(seconds);
        l = Measure<Library>(seconds);
    }
    else
    {
        l = Measure<Library>(seconds);
        o = Measure<Ours>(seconds);
    }

    oursTimes.Add(o);
    libraryTimes.Add(l);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: FirDot {o:F2} µs/frame, TensorPrimitives.Dot {l:F2} µs/frame"));
}

var oursMedian = Median(oursTimes);
var libraryMedian = Median(libraryTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fir ours={oursMedian:F2} baseline={libraryMedian:F2} unit=us/frame ratio={oursMedian / libraryMedian:F3} ours_impl=FirDot baseline_impl=TensorPrimitives.Dot rounds={rounds} load1={LoadAverage()}"));
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
    public static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window) => FirDot.Dot(taps, window);
}

internal readonly struct Library : IDot
{
    public static float Dot(ReadOnlySpan<float> taps, ReadOnlySpan<float> window) => TensorPrimitives.Dot(taps, window);
}
