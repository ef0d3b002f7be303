using System.Buffers.Binary;
using LeadGen.Core.Audio;

namespace LeadGen.Simulator;

/// <summary>
/// Minimal WAV reader/writer for the simulator: reads mono 8 kHz PCM16 or μ-law files into μ-law frames (what a phone
/// line carries) and writes the recorded agent audio as 8 kHz PCM16. Other rates: convert first, e.g.
/// <c>sox in.wav -r 8000 -c 1 -b 16 out.wav</c>.
/// </summary>
public static class WavFile
{
    private const ushort Pcm = 1;
    private const ushort MuLawFormat = 7;

    public static byte[] ReadAsMuLaw(string path) => ParseAsMuLaw(File.ReadAllBytes(path), path);

    public static byte[] ParseAsMuLaw(ReadOnlySpan<byte> wav, string name = "WAV data")
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{name} is not a RIFF/WAVE file.");
        }

        ushort format = 0, channels = 0, bits = 0;
        var rate = 0;
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(offset + 4, 4)), (uint)(wav.Length - offset - 8));
            var body = wav.Slice(offset + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels != 1 || rate != TelephoneFrames.SampleRate)
                {
                    throw new InvalidDataException($"{name}: need mono 8000 Hz audio (got {channels} channel(s) at {rate} Hz); convert with sox -r 8000 -c 1 -b 16.");
                }

                if (format == MuLawFormat && bits == 8)
                {
                    return body.ToArray();
                }

                if (format == Pcm && bits == 16)
                {
                    var samples = Pcm16.FromBytes(body);
                    var encoded = new byte[samples.Length];
                    MuLaw.Encode(samples, encoded);
                    return encoded;
                }

                throw new InvalidDataException($"{name}: need 16-bit PCM or 8-bit μ-law (format {format}, {bits} bits).");
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{name} has no data chunk.");
    }

    public static void WriteMuLawAsPcm16(string path, ReadOnlySpan<byte> mulaw)
    {
        var samples = new short[mulaw.Length];
        MuLaw.Decode(mulaw, samples);
        var data = Pcm16.ToBytes(samples);
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 36 + data.Length);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), Pcm);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), TelephoneFrames.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), TelephoneFrames.SampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), data.Length);
        using var file = File.Create(path);
        file.Write(header);
        file.Write(data);
    }
}
