using System.Diagnostics;
using System.Text;

namespace LeadGen.Faults;

/// <summary>
/// One of our hosts (a Worker or the VoiceApi) as its own OS process: <c>dotnet {dll}</c> with its settings in the
/// environment, the way the AppHost's processes mode runs it. Can be killed with SIGKILL and started again on the same
/// port. Its output goes to a log file in the run's folder (read it when an anomaly needs explaining).
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;
    private int _starts;
    private bool _expectedExit;
    private readonly Lock _logGate = new();
    private StreamWriter? _log;

    public ServiceHost(string name, string dll, int port, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        _dll = dll;
        Port = port;
        _environment = environment;
        _logPath = Path.Combine(logDirectory, $"{name}.log");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _expectedExit = false;
        _process?.Dispose(); // a killed predecessor
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_dll);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = BaseUrl.ToString();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start.");
        _starts++;
        lock (_logGate)
        {
            _log?.Dispose();
            _log = new StreamWriter(_logPath, append: true, Encoding.UTF8) { AutoFlush = true };
            _log.WriteLine($"=== {Name} start #{_starts} (pid {process.Id}) at {DateTimeOffset.UtcNow:O}");
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during startup (code {process.ExitCode}); see {_logPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/alive"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"{Name} did not answer /alive within 90 s; see {_logPath}.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining — what an OOM kill or a lost machine does.</summary>
    public async Task KillAsync()
    {
        _expectedExit = true;
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>True when the process ended without being killed (a crash the fault run did not cause).</summary>
    public bool Crashed => _process is { HasExited: true } && !_expectedExit;

    /// <summary>Appends a line of the host's output (late lines of a killed process still land in its log).</summary>
    private void Write(string? line)
    {
        lock (_logGate)
        {
            if (line is not null)
            {
                _log?.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        lock (_logGate)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
