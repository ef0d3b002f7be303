using System.Collections.Concurrent;
using System.Diagnostics;
using LeadGen.Simulator;

namespace LeadGen.Calls.Tests.Calls;

/// <summary>Caller utterances synthesised with espeak-ng and converted to 8 kHz mono with sox (test.sh installs both).</summary>
internal static class CallerSpeech
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new();
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "leadgen-tests", "speech");

    public static byte[] Say(string text) => Cache.GetOrAdd(text, Synthesise);

    private static byte[] Synthesise(string text)
    {
        Directory.CreateDirectory(Folder);
        var name = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
        var raw = Path.Combine(Folder, name + ".raw.wav");
        var telephone = Path.Combine(Folder, name + ".8k.wav");
        if (!File.Exists(telephone))
        {
            Run("espeak-ng", "-s", "170", "-w", raw, text);
            Run("sox", raw, "-r", "8000", "-c", "1", "-b", "16", telephone);
        }

        return WavFile.ReadAsMuLaw(telephone);
    }

    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (run ./test.sh to install it).");
        process.WaitForExit(30_000);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {process.StandardError.ReadToEnd()}");
        }
    }
}
