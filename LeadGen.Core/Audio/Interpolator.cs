namespace LeadGen.Core.Audio;

/// <summary>
/// Streaming integer up-sampler (polyphase FIR): raises the rate by <see cref="Factor"/> and removes the spectral images
/// with a proper low-pass. Keeps filter history between calls, so a call's audio can be fed in 20 ms pieces.
/// </summary>
public sealed class Interpolator
{
    private readonly float[][] _phases;
    private readonly float[] _history;
    private readonly int _tapsPerPhase;
    private float[] _work = [];
    private float[] _phaseOutput = [];

    public Interpolator(int factor, double inputRate, double passBandEdge, double stopBandEdge, double attenuationDb)
    {
        Factor = factor;
        var prototype = LowPassFilterDesign.Design(inputRate * factor, passBandEdge, stopBandEdge, attenuationDb, gain: factor);
        _tapsPerPhase = (prototype.Length + factor - 1) / factor;
        _phases = new float[factor][];
        for (var phase = 0; phase < factor; phase++)
        {
            _phases[phase] = new float[_tapsPerPhase];
            for (var k = 0; k < _tapsPerPhase; k++)
            {
                var index = k * factor + phase;
                // Stored oldest-first (reversed) so each output is one contiguous dot product with the sample window.
                _phases[phase][_tapsPerPhase - 1 - k] = index < prototype.Length ? (float)prototype[index] : 0f;
            }
        }

        _history = new float[_tapsPerPhase - 1];
    }

    public int Factor { get; }

    /// <summary>8 kHz telephone audio → 16 kHz for the voice model (pass band to 3.4 kHz, images ≥ 4.6 kHz down 60 dB).</summary>
    public static Interpolator Telephone8To16() => new(2, 8000, 3400, 4600, 60);

    public short[] Process(ReadOnlySpan<short> input)
    {
        var output = new short[input.Length * Factor];
        Process(input, output);
        return output;
    }

    /// <summary>Allocation-free form (per call: the work buffers are kept): writes <c>input.Length × Factor</c> samples.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var produced = input.Length * Factor;
        if (output.Length < produced)
        {
            throw new ArgumentException("The output buffer is shorter than input × factor.", nameof(output));
        }

        var span = _history.Length + input.Length;
        if (_work.Length < span)
        {
            _work = new float[span];
            _phaseOutput = new float[input.Length];
        }

        var buffer = _work.AsSpan(0, span);
        _history.CopyTo(buffer);
        Pcm16.ToFloats(input, buffer[_history.Length..]);

        // Output i of phase p is the dot product of that phase with the window ending at input i, which starts at
        // buffer index i: one convolution per phase, interleaved into the output.
        var phaseOutput = _phaseOutput.AsSpan(0, input.Length);
        for (var phase = 0; phase < Factor; phase++)
        {
            phaseOutput.Clear();
            FirConvolution.Accumulate(_phases[phase], buffer, phaseOutput);
            for (var i = 0; i < phaseOutput.Length; i++)
            {
                output[i * Factor + phase] = Pcm16.Saturate(phaseOutput[i]);
            }
        }

        buffer[(span - _history.Length)..].CopyTo(_history);
        return produced;
    }
}
