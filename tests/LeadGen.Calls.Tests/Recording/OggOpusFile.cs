using System.Buffers.Binary;
using Concentus;
using LeadGen.Core.Calls.Recording;

namespace LeadGen.Calls.Tests.Recording;

/// <summary>One Ogg page as read back (RFC 3533), with its checksum verified.</summary>
internal sealed record OggPage(byte Flags, long Granule, int Serial, int Sequence, IReadOnlyList<byte[]> Packets, bool LastPacketContinues);

/// <summary>
/// Reads an Ogg Opus file independently of the writer: splits pages, checks capture pattern, version and CRC,
/// reassembles packets from the lacing values, and decodes the audio with Concentus's decoder.
/// </summary>
internal static class OggOpusFile
{
    /// <summary>Opus decodes to any of its rates whatever it was encoded from: tests read at 16 kHz.</summary>
    public const int DecodeRate = 16_000;

    public static List<OggPage> ReadPages(byte[] data)
    {
        var pages = new List<OggPage>();
        var offset = 0;
        var carry = new List<byte>();
        while (offset < data.Length)
        {
            Assert.True(data.AsSpan(offset, 4).SequenceEqual("OggS"u8), $"capture pattern at {offset}");
            Assert.Equal(0, data[offset + 4]);
            var flags = data[offset + 5];
            var granule = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset + 6));
            var serial = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 14));
            var sequence = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 18));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 22));
            var segments = data[offset + 26];
            var lacing = data.AsSpan(offset + 27, segments).ToArray();
            var length = 27 + segments + lacing.Sum(l => l);
            var page = data.AsSpan(offset, length).ToArray();
            page[22] = page[23] = page[24] = page[25] = 0;
            Assert.Equal(crc, OggCrc.Compute(page));

            var packets = new List<byte[]>();
            var body = offset + 27 + segments;
            foreach (var value in lacing)
            {
                carry.AddRange(data.AsSpan(body, value).ToArray());
                body += value;
                if (value < 255)
                {
                    packets.Add([.. carry]);
                    carry.Clear();
                }
            }

            pages.Add(new OggPage(flags, granule, serial, sequence, packets, carry.Count > 0));
            offset += length;
        }

        return pages;
    }

    /// <summary>Decoded stereo audio at <paramref name="rate"/> (interleaved left, right) after the pre-skip.</summary>
    public static (short[] Left, short[] Right) Decode(byte[] data, int rate = DecodeRate)
    {
        var pages = ReadPages(data);
        var head = pages[0].Packets[0];
        Assert.Equal(2, head[9]);
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10)) * rate / 48_000;
        var decoder = OpusCodecFactory.CreateDecoder(rate, 2);
        var left = new List<short>();
        var right = new List<short>();
        var pcm = new short[rate / 50 * 6 * 2];
        foreach (var packet in pages.Skip(2).SelectMany(p => p.Packets))
        {
            var samples = decoder.Decode(packet, pcm, pcm.Length / 2);
            for (var i = 0; i < samples; i++)
            {
                left.Add(pcm[2 * i]);
                right.Add(pcm[(2 * i) + 1]);
            }
        }

        return ([.. left.Skip(preSkip)], [.. right.Skip(preSkip)]);
    }

    /// <summary>Root-mean-square level of <paramref name="samples"/> between two times.</summary>
    public static double Rms(short[] samples, TimeSpan from, TimeSpan to, int rate = DecodeRate)
    {
        var start = (int)(from.TotalSeconds * rate);
        var end = Math.Min(samples.Length, (int)(to.TotalSeconds * rate));
        if (end <= start)
        {
            return 0;
        }

        double sum = 0;
        for (var i = start; i < end; i++)
        {
            sum += (double)samples[i] * samples[i];
        }

        return Math.Sqrt(sum / (end - start));
    }

    /// <summary>A sine tone as PCM16 little-endian bytes.</summary>
    public static byte[] Tone(double hz, TimeSpan duration, int rate, double amplitude = 8000)
    {
        var count = (int)(duration.TotalSeconds * rate);
        var bytes = new byte[count * 2];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate)));
        }

        return bytes;
    }
}
