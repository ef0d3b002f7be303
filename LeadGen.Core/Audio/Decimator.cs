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

    public Decimator(int factor, double inputRate, double passBandEdge, double stopBandEdge, double attenuationDb)
    {
        Factor = factor;
        _taps = Array.ConvertAll(LowPassFilterDesign.Design(inputRate, passBandEdge, stopBandEdge, attenuationDb), c => (float)c);
        _history = new float[_taps.Length - 1];
    }

    public int Factor { get; }

    /// <summary>24 kHz model audio → 8 kHz telephone (pass band to 3.3 kHz, ≥ 4 kHz down 60 dB so nothing aliases).</summary>
    public static Decimator Model24To8() => new(3, 24000, 3300, 4000, 60);

    public short[] Process(ReadOnlySpan<short> input)
    {
        var span = _history.Length + input.Length;
        var buffer = new float[span];
        _history.CopyTo(buffer, 0);
        for (var i = 0; i < input.Length; i++)
        {
            buffer[_history.Length + i] = input[i];
        }

        var output = new List<short>(input.Length / Factor + 1);
        for (var i = 0; i < input.Length; i++)
        {
            if (_phase++ % Factor != 0)
            {
                continue;
            }

            var newest = _history.Length + i;
            var accumulator = 0f;
            for (var k = 0; k < _taps.Length; k++)
            {
                accumulator += _taps[k] * buffer[newest - k];
            }

            output.Add(Pcm16.Saturate(accumulator));
        }

        _phase %= Factor;
        Array.Copy(buffer, span - _history.Length, _history, 0, _history.Length);
        return [.. output];
    }
}
