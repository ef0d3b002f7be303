using System.Numerics;
using System.Runtime.InteropServices;

namespace LeadGen.Core.Audio;

/// <summary>The inner product at the heart of every FIR output, vectorised: the resamplers run it 24,000 times a second
/// per call, so at hundreds of calls the scalar loop was the media path's largest CPU cost.</summary>
internal static class FirDot
{
    public static float Dot(ReadOnlySpan<float> coefficients, ReadOnlySpan<float> samples)
    {
        var length = Math.Min(coefficients.Length, samples.Length);
        var k = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            var a = MemoryMarshal.Cast<float, Vector<float>>(coefficients[..length]);
            var b = MemoryMarshal.Cast<float, Vector<float>>(samples[..length]);
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
            sum += coefficients[k] * samples[k];
        }

        return sum;
    }
}
