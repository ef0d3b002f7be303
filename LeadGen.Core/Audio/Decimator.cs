using System.Numerics.Tensors;

namespace LeadGen.Core.Audio;

/// <summary>
/// Streaming integer down-sampler: low-pass FIR below the new Nyquist frequency, then keeps every
/// <see cref="Factor"/>-th sample (only those outputs are computed). Never a naive drop of samples: anything above the
/// new Nyquist would alias back into the band the caller hears.
/// </summary>
public sealed class Decimator
{
    private readonly float[] _taps;
    private readonly float[] _history;
    private int _phase;
    private float[] _work = [];

    public Decimator(int factor, double inputRate, double passBandEdge, double stopBandEdge, double attenuationDb)
    {
        Factor = factor;
        // Stored oldest-first (reversed) so each output is one contiguous dot product with the sample window.
        _taps = Array.ConvertAll(LowPassFilterDesign.Design(inputRate, passBandEdge, stopBandEdge, attenuationDb), c => (float)c);
        Array.Reverse(_taps);
        _history = new float[_taps.Length - 1];
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

    /// <summary>How many samples the next <see cref="Process(ReadOnlySpan{short}, Span{short})"/> of this many inputs writes.</summary>
    public int OutputLength(int inputLength)
    {
        // Outputs fall on input indices i where (_phase + i) % Factor == 0.
        var first = (Factor - _phase % Factor) % Factor;
        return first < inputLength ? (inputLength - 1 - first) / Factor + 1 : 0;
    }

    /// <summary>Allocation-free form (per call: the work buffer is kept); returns the samples written.</summary>
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
        for (var i = 0; i < input.Length; i++)
        {
            buffer[_history.Length + i] = input[i];
        }

        var first = (Factor - _phase % Factor) % Factor;
        for (var n = 0; n < count; n++)
        {
            var newest = _history.Length + first + n * Factor;
            output[n] = Pcm16.Saturate(TensorPrimitives.Dot(_taps, buffer.Slice(newest - _taps.Length + 1, _taps.Length)));
        }

        _phase = (_phase + input.Length) % Factor;
        buffer[(span - _history.Length)..].CopyTo(_history);
        return count;
    }
}
