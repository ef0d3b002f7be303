using System.Numerics;

namespace LeadGen.Core.Audio;

/// <summary>
/// G.711 μ-law (PCMU), the only encoding a telephone Media Stream carries: 8 kHz, 8 bits per sample.
/// Decoding is a table look-up; encoding is the segment/mantissa computation from the G.711 definition.
/// </summary>
public static class MuLaw
{
    private const int Bias = 0x84;
    private const int Clip = 32635;

    private static readonly short[] DecodeTable = BuildDecodeTable();

    public static short Decode(byte encoded) => DecodeTable[encoded];

    public static byte Encode(short sample)
    {
        int value = sample;
        var sign = value < 0 ? 0x80 : 0;
        if (value < 0)
        {
            value = -value;
        }

        // The exponent is the segment: the highest set bit of the biased magnitude (bit 7..14) minus 7. Found with one
        // leading-zero count instead of a bit-by-bit search, whose mispredicted branches made encoding a 40 ms chunk
        // cost more than resampling it.
        value = Math.Min(value, Clip) + Bias;
        var exponent = 24 - BitOperations.LeadingZeroCount((uint)value);
        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static void Decode(ReadOnlySpan<byte> encoded, Span<short> samples)
    {
        if (samples.Length < encoded.Length)
        {
            throw new ArgumentException("The sample buffer is shorter than the encoded input.", nameof(samples));
        }

        for (var i = 0; i < encoded.Length; i++)
        {
            samples[i] = DecodeTable[encoded[i]];
        }
    }

    public static void Encode(ReadOnlySpan<short> samples, Span<byte> encoded)
    {
        if (encoded.Length < samples.Length)
        {
            throw new ArgumentException("The encoded buffer is shorter than the sample input.", nameof(encoded));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            encoded[i] = Encode(samples[i]);
        }
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var value = ~i & 0xFF;
            var exponent = (value >> 4) & 0x07;
            var mantissa = value & 0x0F;
            var magnitude = (((mantissa << 3) + Bias) << exponent) - Bias;
            table[i] = (short)((value & 0x80) != 0 ? -magnitude : magnitude);
        }

        return table;
    }
}
