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
        var span = _history.Length + input.Length;
        var buffer = new float[span];
        _history.CopyTo(buffer, 0);
        for (var i = 0; i < input.Length; i++)
        {
            buffer[_history.Length + i] = input[i];
        }

        for (var i = 0; i < input.Length; i++)
        {
            var newest = _history.Length + i;
            var window = buffer.AsSpan(newest - _tapsPerPhase + 1, _tapsPerPhase);
            for (var phase = 0; phase < Factor; phase++)
            {
                output[i * Factor + phase] = Pcm16.Saturate(FirDot.Dot(_phases[phase], window));
            }
        }

        Array.Copy(buffer, span - _history.Length, _history, 0, _history.Length);
        return output;
    }
}
