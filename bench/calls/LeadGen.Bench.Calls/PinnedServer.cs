using System.Diagnostics;
using System.Globalization;
using LeadGen.Testing;

namespace LeadGen.Bench.Calls;

/// <summary>
/// A server under test as its own process (the VoiceApi, or the relay floor), pinned with <c>taskset</c> to the core the
/// load driver does not use, so its CPU time and peak RSS are measured alone and both servers get the same core.
/// </summary>
internal sealed class PinnedServer : IAsyncDisposable
{
    public const string AuthToken = "bench-auth-token-not-a-secret";
    private readonly Process _process;

    private PinnedServer(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>The core servers run on (<c>--server-core</c>, passed by run.sh, which pins this driver to another); null: not pinned.</summary>
    public static int? ServerCore { get; set; }

    public static Task<PinnedServer> StartVoiceApiAsync(string dll, string database, string redis, Uri gemini, int port) => StartAsync(port, [dll], new Dictionary<string, string>
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}/",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__leadgendb"] = database,
        ["ConnectionStrings__cache"] = redis,
        ["Twilio__AuthToken"] = AuthToken,
        ["PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        ["Telephony__Provider"] = "simulator",
        ["Gemini__Mode"] = "apikey",
        ["Gemini__ApiKey"] = "fake",
        ["Gemini__Endpoint"] = gemini.ToString(),
        // The media path is measured, not Google's quota: 250 Live calls a minute would exhaust the shared limiter's
        // default token budget (4,000 admission tokens each) and the rest would hear the busy line.
        ["Gemini__RateLimit__RequestsPerMinute"] = "0",
        ["Gemini__RateLimit__TokensPerMinute"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        ["OTEL_SDK_DISABLED"] = "true",
    });

    /// <summary>This benchmark's own executable in relay-floor mode.</summary>
    public static Task<PinnedServer> StartFloorAsync(Uri gemini, int port) =>
        StartAsync(port, [typeof(PinnedServer).Assembly.Location, RelayFloor.Flag, port.ToString(CultureInfo.InvariantCulture), gemini.ToString()], new Dictionary<string, string>());

    private static async Task<PinnedServer> StartAsync(int port, IReadOnlyList<string> arguments, Dictionary<string, string> environment)
    {
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(ServerCore is null ? "dotnet" : "taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (ServerCore is { } core)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("dotnet");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // Steady state sooner, for both servers alike: by default call counting (which promotes hot methods out of
        // tier 0) waits until no new method has been compiled for 100 ms, which a busy single core rarely sees; three
        // warm-up rounds then left ~5,400 methods to tier up inside the measured phase. The code a server runs once warm
        // is the same either way.
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"server {process.Id}: " + e.Data); } };
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
                    return new PinnedServer(process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("The server did not answer /alive within 30 s.");
    }

    public static int FreePortNumber() => FreePort.Next();

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// Waits until the server is idle (under 5% of its core over half a second, at most 30 s). After a warm-up round its
    /// background JIT is still compiling the methods that round made hot; with calls running it gets what the calls
    /// leave of the one core, so without this pause the measured phase carried ~10% JIT and ~15% instrumented
    /// (tiered-PGO) code.
    /// </summary>
    public async Task QuietAsync()
    {
        var waited = Stopwatch.StartNew();
        var before = CpuTime();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(500);
            var now = CpuTime();
            if ((now - before).TotalMilliseconds < 25)
            {
                break;
            }

            before = now;
        }
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
