using System.Diagnostics;
using System.Globalization;
using LeadGen.Testing;

namespace LeadGen.Bench.Calls;

/// <summary>The VoiceApi under test as its own process (so its CPU and peak RSS are measured alone).</summary>
internal sealed class VoiceApiProcess : IAsyncDisposable
{
    public const string AuthToken = "bench-auth-token-not-a-secret";
    private readonly Process _process;

    private VoiceApiProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static async Task<VoiceApiProcess> StartAsync(string dll, string database, string redis, Uri gemini)
    {
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseUrl.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__leadgendb"] = database,
            ["ConnectionStrings__cache"] = redis,
            ["Twilio__AuthToken"] = AuthToken,
            ["PublicBaseUrl"] = baseUrl.ToString().TrimEnd('/'),
            ["Telephony__Provider"] = "simulator",
            ["Gemini__Mode"] = "apikey",
            ["Gemini__ApiKey"] = "fake",
            ["Gemini__Endpoint"] = gemini.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["OTEL_SDK_DISABLED"] = "true",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("VoiceApi did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("voiceapi: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "alive"));
                if (response.IsSuccessStatusCode)
                {
                    return new VoiceApiProcess(process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("VoiceApi did not answer /alive within 30 s.");
    }

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Peak resident set (VmHWM) from /proc.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
