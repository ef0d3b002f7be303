namespace LeadGen.Core.Audio;

/// <summary>A frame-level speech detector: mean absolute amplitude above a threshold.</summary>
public static class VoiceActivity
{
    /// <summary>Mean absolute amplitude above which a frame counts as speech (≈ -36 dBFS).</summary>
    public const double Threshold = 500;

    public static bool IsVoiced(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return false;
        }

        long sum = 0;
        foreach (var sample in samples)
        {
            sum += Math.Abs((int)sample);
        }

        return (double)sum / samples.Length > Threshold;
    }
}
