namespace LeadGen.Calls.Tests.Audio;

/// <summary>Test signals and a single-frequency amplitude meter (Goertzel) for frequency-response checks.</summary>
internal static class Tone
{
    public static short[] Sine(double frequency, double sampleRate, int count, double amplitude = 10000)
    {
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        }

        return samples;
    }

    /// <summary>Amplitude of the component at <paramref name="frequency"/> (same scale as the sine's amplitude).</summary>
    public static double Amplitude(ReadOnlySpan<short> samples, double frequency, double sampleRate)
    {
        // Hann-windowed single-bin DFT: the window keeps a strong tone elsewhere from leaking into the measured bin.
        double real = 0, imaginary = 0, windowSum = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var window = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (samples.Length - 1));
            var angle = 2 * Math.PI * frequency * i / sampleRate;
            real += samples[i] * window * Math.Cos(angle);
            imaginary -= samples[i] * window * Math.Sin(angle);
            windowSum += window;
        }

        return 2 * Math.Sqrt(real * real + imaginary * imaginary) / windowSum;
    }

    public static double Decibels(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-12));
}
