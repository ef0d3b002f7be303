using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace LeadGen.Core.Audio;

/// <summary>Little-endian signed 16-bit PCM, the raw format Gemini Live speaks (16 kHz in, 24 kHz out).</summary>
public static class Pcm16
{
    public static short[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2));
        }

        return samples;
    }

    public static byte[] ToBytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2, 2), samples[i]);
        }

        return bytes;
    }

    /// <summary>Rounds to the nearest sample value, clipping instead of wrapping around.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Saturate(float value) => (short)Math.Clamp(MathF.Round(value), short.MinValue, short.MaxValue);
}
