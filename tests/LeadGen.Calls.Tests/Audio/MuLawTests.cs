using LeadGen.Core.Audio;

namespace LeadGen.Calls.Tests.Audio;

public sealed class MuLawTests
{
    [Fact]
    public void Every_code_decodes_and_re_encodes_to_itself_except_negative_zero()
    {
        for (var code = 0; code < 256; code++)
        {
            var reEncoded = MuLaw.Encode(MuLaw.Decode((byte)code));
            // 0x7F is "negative zero": it decodes to 0, which encodes as positive zero (0xFF).
            Assert.Equal(code == 0x7F ? 0xFF : code, reEncoded);
        }
    }

    [Fact]
    public void Round_trip_error_stays_within_half_a_quantisation_step()
    {
        // G.711 steps double per segment; half a step is at most 1/32 of the magnitude (+ a small floor near zero).
        for (var sample = -32635; sample <= 32635; sample += 7)
        {
            var decoded = MuLaw.Decode(MuLaw.Encode((short)sample));
            Assert.True(Math.Abs(decoded - sample) <= Math.Abs(sample) / 32.0 + 8, $"{sample} -> {decoded}");
        }
    }

    [Fact]
    public void Speech_level_sine_survives_with_more_than_35_dB_signal_to_noise()
    {
        var original = Tone.Sine(1000, 8000, 8000, amplitude: 8000);
        var encoded = new byte[original.Length];
        var decoded = new short[original.Length];
        MuLaw.Encode(original, encoded);
        MuLaw.Decode(encoded, decoded);

        double signal = 0, noise = 0;
        for (var i = 0; i < original.Length; i++)
        {
            signal += (double)original[i] * original[i];
            noise += Math.Pow(original[i] - decoded[i], 2);
        }

        Assert.True(10 * Math.Log10(signal / noise) > 35);
    }

    [Fact]
    public void Extremes_saturate_instead_of_wrapping()
    {
        Assert.True(MuLaw.Decode(MuLaw.Encode(short.MaxValue)) > 30000);
        Assert.True(MuLaw.Decode(MuLaw.Encode(short.MinValue)) < -30000);
    }
}
