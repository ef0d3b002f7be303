using System.Diagnostics;
using System.Text;

namespace LeadGen.Testing;

/// <summary>A server started from one of the repository's scripts/ (the same scripts the AppHost runs), with its output kept for failure messages.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The script's process id (signal tests send it TERM/INT the way Aspire and a terminal do).</summary>
    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="defaultSignals">
    /// Start the script with INT and TERM at their default disposition, as from a terminal. A test runner started in the
    /// background of a non-interactive shell passes INT on ignored, and a shell cannot trap a signal ignored at entry.
    /// </param>
    public static ServerProcess Start(string script, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, bool defaultSignals = false)
    {
        var startInfo = new ProcessStartInfo(defaultSignals ? "perl" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (defaultSignals)
        {
            // perl resets the dispositions, then execs bash in the same process (the id stays the script's).
            foreach (var argument in new[] { "-e", "$SIG{INT} = $SIG{TERM} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "bash" })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        startInfo.ArgumentList.Add(Path.Combine(RepositoryPaths.Scripts, script));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {script}.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Asks the server to stop (SIGTERM: the scripts turn it into a fast shutdown) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            // Bounded: a grandchild still holding our output pipes must not hang the test run.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
