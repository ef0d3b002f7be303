using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeadGen.Core.Audio;

/// <summary>
/// Streaming integer down-sampler: low-pass FIR below the new Nyquist frequency, then keeps every
/// <see cref="Factor"/>-th sample (only those outputs are computed). Never a naive drop of samples: anything above the
/// new Nyquist would alias back into the band the caller hears.
/// </summary>
public sealed class Decimator
{
    /// <summary>Polyphase split of the taps (oldest first): phase r holds taps r, r + Factor, r + 2·Factor, … (zero-padded).</summary>
    private readonly float[][] _phases;
    private readonly float[] _history;
    private int _phase;
    private float[] _work = [];
    private float[][] _streams = [];
    private float[] _sum = [];

    public Decimator(int factor, double inputRate, double passBandEdge, double stopBandEdge, double attenuationDb)
    {
        Factor = factor;
        // Stored oldest-first (reversed) so each output is one contiguous dot product with the sample window.
        var taps = Array.ConvertAll(LowPassFilterDesign.Design(inputRate, passBandEdge, stopBandEdge, attenuationDb), c => (float)c);
        Array.Reverse(taps);
        var perPhase = (taps.Length + factor - 1) / factor;
        _phases = new float[factor][];
        for (var r = 0; r < factor; r++)
        {
            _phases[r] = new float[perPhase];
            for (var j = 0; j < perPhase && j * factor + r < taps.Length; j++)
            {
                _phases[r][j] = taps[j * factor + r];
            }
        }

        _history = new float[taps.Length - 1];
    }

    public int Factor { get; }

    /// <summary>24 kHz model audio → 8 kHz telephone (pass band to 3.3 kHz, ≥ 4 kHz down 60 dB so nothing aliases).</summary>
    public static Decimator Model24To8() => new(3, 24000, 3300, 4000, 60);

    public short[] Process(ReadOnlySpan<short> input)
    {
        var output = new short[OutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>Forgets the filter history (a new stretch of audio that does not continue the last).</summary>
    public void Reset()
    {
        Array.Clear(_history);
        _phase = 0;
    }

    /// <summary>How many samples the next <see cref="Process(ReadOnlySpan{short}, Span{short})"/> of this many inputs writes.</summary>
    public int OutputLength(int inputLength)
    {
        // Outputs fall on input indices i where (_phase + i) % Factor == 0.
        var first = (Factor - _phase % Factor) % Factor;
        return first < inputLength ? (inputLength - 1 - first) / Factor + 1 : 0;
    }

    /// <summary>Allocation-free form (per call: the work buffers are kept); returns the samples written.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var count = OutputLength(input.Length);
        if (output.Length < count)
        {
            throw new ArgumentException("The output buffer is too short.", nameof(output));
        }

        var span = _history.Length + input.Length;
        if (_work.Length < span)
        {
            _work = new float[span];
        }

        var buffer = _work.AsSpan(0, span);
        _history.CopyTo(buffer);
        Pcm16.ToFloats(input, buffer[_history.Length..]);

        // Output n is Σₖ taps[k]·buffer[first + n·Factor + k]. Split k = j·Factor + r: each phase r is a plain convolution
        // over every Factor-th sample starting at first + r, so the kernel runs contiguously over outputs.
        var first = (Factor - _phase % Factor) % Factor;
        var perPhase = _phases[0].Length;
        var streamLength = count + perPhase - 1;
        if (_sum.Length < count || _streams.Length == 0 || _streams[0].Length < streamLength)
        {
            _sum = new float[Math.Max(count, _sum.Length)];
            _streams = Enumerable.Range(0, Factor).Select(_ => new float[streamLength]).ToArray();
        }

        var sum = _sum.AsSpan(0, count);
        sum.Clear();
        for (var r = 0; r < Factor && count > 0; r++)
        {
            var stream = _streams[r].AsSpan(0, streamLength);
            // Every Factor-th sample from first + r; past the end only where the padded taps are zero.
            var start = first + r;
            var available = start < span ? Math.Min(streamLength, (span - start + Factor - 1) / Factor) : 0;
            ref var source = ref MemoryMarshal.GetReference(buffer);
            ref var target = ref MemoryMarshal.GetReference(stream);
            for (var m = 0; m < available; m++)
            {
                Unsafe.Add(ref target, m) = Unsafe.Add(ref source, start + m * Factor);
            }

            stream[available..].Clear();

            FirConvolution.Accumulate(_phases[r], stream, sum);
        }

        for (var n = 0; n < count; n++)
        {
            output[n] = Pcm16.Saturate(sum[n]);
        }

        _phase = (_phase + input.Length) % Factor;
        buffer[(span - _history.Length)..].CopyTo(_history);
        return count;
    }
}
