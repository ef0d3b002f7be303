namespace LeadGen.Core.Audio;

/// <summary>
/// Windowed-sinc low-pass FIR design with a Kaiser window. The Kaiser window lets us choose the stop-band
/// attenuation directly, and the tap count follows from the transition width (Kaiser's formula).
/// </summary>
public static class LowPassFilterDesign
{
    /// <param name="sampleRate">Rate the filter runs at (Hz).</param>
    /// <param name="passBandEdge">Highest frequency to keep (Hz).</param>
    /// <param name="stopBandEdge">Lowest frequency that must be attenuated (Hz).</param>
    /// <param name="attenuationDb">Stop-band attenuation (dB).</param>
    /// <param name="gain">DC gain (an interpolator by L needs L).</param>
    public static double[] Design(double sampleRate, double passBandEdge, double stopBandEdge, double attenuationDb, double gain = 1)
    {
        if (passBandEdge <= 0 || stopBandEdge <= passBandEdge || stopBandEdge > sampleRate / 2)
        {
            throw new ArgumentException("Need 0 < pass-band edge < stop-band edge <= Nyquist.");
        }

        var transition = 2 * Math.PI * (stopBandEdge - passBandEdge) / sampleRate;
        var taps = (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * transition)) + 1;
        taps |= 1; // odd length: symmetric, integer group delay
        var beta = attenuationDb > 50
            ? 0.1102 * (attenuationDb - 8.7)
            : 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
        var cutoff = (passBandEdge + stopBandEdge) / 2 / sampleRate; // cycles per sample
        var middle = (taps - 1) / 2.0;
        var coefficients = new double[taps];
        var sum = 0.0;
        for (var n = 0; n < taps; n++)
        {
            var x = n - middle;
            var sinc = x == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
            var ratio = 2.0 * n / (taps - 1) - 1;
            var window = BesselI0(beta * Math.Sqrt(1 - ratio * ratio)) / BesselI0(beta);
            coefficients[n] = sinc * window;
            sum += coefficients[n];
        }

        for (var n = 0; n < taps; n++)
        {
            coefficients[n] *= gain / sum;
        }

        return coefficients;
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind (power series; converges fast for our β).</summary>
    private static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var halfX = x / 2;
        for (var k = 1; k < 50; k++)
        {
            term *= halfX / k * (halfX / k);
            sum += term;
            if (term < sum * 1e-12)
            {
                break;
            }
        }

        return sum;
    }
}
