using System.Diagnostics;
using System.Text;

namespace LeadGen.Console.Tests;

/// <summary>
/// A spoken sentence as a WAV file for Chromium's fake microphone, synthesised with espeak-ng at test time (installed
/// by ./test.sh's prerequisites) and padded with silence: the lead waits for the agent's opening, speaks, then stays
/// quiet so the voice model's end-of-turn detection fires.
/// </summary>
internal static class SpokenWav
{
    public static async Task<string> CreateAsync(string text, TimeSpan silenceBefore, TimeSpan silenceAfter)
    {
        var spoken = Path.Combine(Path.GetTempPath(), $"console-voice-{Guid.NewGuid():N}.wav");
        using (var espeak = Process.Start(new ProcessStartInfo("espeak-ng", ["-w", spoken, text]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("espeak-ng did not start (./test.sh installs it)."))
        {
            await espeak.WaitForExitAsync();
            Assert.True(espeak.ExitCode == 0, "espeak-ng failed: " + await espeak.StandardError.ReadToEndAsync());
        }

        var (rate, pcm) = ReadPcm16Mono(await File.ReadAllBytesAsync(spoken));
        File.Delete(spoken);
        var before = new byte[(int)(rate * silenceBefore.TotalSeconds) * 2];
        var after = new byte[(int)(rate * silenceAfter.TotalSeconds) * 2];
        var path = Path.Combine(Path.GetTempPath(), $"console-voice-padded-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(path, Wav(rate, [.. before, .. pcm, .. after]));
        return path;
    }

    private static (int Rate, byte[] Pcm) ReadPcm16Mono(byte[] wav)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        var rate = 0;
        for (var offset = 12; offset + 8 <= wav.Length;)
        {
            var id = Encoding.ASCII.GetString(wav, offset, 4);
            var size = BitConverter.ToInt32(wav, offset + 4);
            if (id == "fmt ")
            {
                Assert.Equal(1, (int)BitConverter.ToInt16(wav, offset + 10)); // mono
                Assert.Equal(16, (int)BitConverter.ToInt16(wav, offset + 22)); // 16-bit
                rate = BitConverter.ToInt32(wav, offset + 12);
            }
            else if (id == "data")
            {
                // espeak-ng may write a streaming size: take what is there.
                var length = Math.Min(size < 0 ? int.MaxValue : size, wav.Length - offset - 8) & ~1;
                return (rate, wav.AsSpan(offset + 8, length).ToArray());
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidOperationException("espeak-ng's WAV has no data chunk.");
    }

    private static byte[] Wav(int rate, byte[] pcm)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + pcm.Length);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(pcm.Length);
        writer.Write(pcm);
        writer.Flush();
        return stream.ToArray();
    }
}
