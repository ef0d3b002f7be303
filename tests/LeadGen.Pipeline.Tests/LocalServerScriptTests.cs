using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// scripts/local-postgres.sh and local-redis.sh are how the AppHost (and the test fixtures) run the data stores: Aspire
/// stops an executable resource with TERM, a terminal's Ctrl+C sends INT. Either must stop the server itself promptly,
/// leaving no process and no stale lock behind.
/// </summary>
public sealed class LocalServerScriptTests
{
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Postgres_script_stops_the_server_within_five_seconds_of_a_signal(string signal)
    {
        var dataRoot = NewDataRoot("pg");
        var server = ServerProcess.Start(
            "local-postgres.sh",
            [dataRoot, FreePort.Next().ToString(CultureInfo.InvariantCulture), "-c", "fsync=off"],
            new Dictionary<string, string> { ["LEADGEN_PG_PASSWORD"] = "script-test-password" },
            defaultSignals: true);
        try
        {
            var pidFile = Path.Combine(dataRoot, "pgdata", "postmaster.pid");
            // postmaster.pid's eighth line is the server's status: "ready" once it accepts connections.
            await WaitUntilAsync(() => ReadLines(pidFile) is { Length: >= 8 } lines && lines[7].Trim() == "ready", TimeSpan.FromSeconds(60), server);
            var postmasterPid = int.Parse(ReadLines(pidFile)![0], CultureInfo.InvariantCulture);
            Assert.True(IsAlive(postmasterPid));

            var stopwatch = Stopwatch.StartNew();
            await SendAsync(signal, server.Id);
            await WaitUntilAsync(() => !IsAlive(postmasterPid) && server.HasExited, StopBound + TimeSpan.FromSeconds(10), server: null);
            stopwatch.Stop();

            Assert.True(stopwatch.Elapsed <= StopBound, $"Postgres took {stopwatch.Elapsed.TotalSeconds:F1} s to stop after {signal} (bound {StopBound.TotalSeconds} s):\n{server.Output}");
            Assert.False(File.Exists(pidFile), $"a stale postmaster.pid remains after {signal}:\n{server.Output}");
        }
        finally
        {
            await server.DisposeAsync();
            DeleteQuietly(dataRoot);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Redis_script_stops_the_server_within_five_seconds_of_a_signal(string signal)
    {
        var dataDir = NewDataRoot("redis");
        var port = FreePort.Next();
        var server = ServerProcess.Start("local-redis.sh", [dataDir, port.ToString(CultureInfo.InvariantCulture)], defaultSignals: true);
        try
        {
            await WaitUntilAsync(() => PortAnswers(port), TimeSpan.FromSeconds(60), server);
            var redisPid = server.Id; // the script execs redis-server: the same process

            var stopwatch = Stopwatch.StartNew();
            await SendAsync(signal, server.Id);
            await WaitUntilAsync(() => !IsAlive(redisPid) && server.HasExited && !PortAnswers(port), StopBound + TimeSpan.FromSeconds(10), server: null);
            stopwatch.Stop();

            Assert.True(stopwatch.Elapsed <= StopBound, $"Redis took {stopwatch.Elapsed.TotalSeconds:F1} s to stop after {signal} (bound {StopBound.TotalSeconds} s):\n{server.Output}");
        }
        finally
        {
            await server.DisposeAsync();
            DeleteQuietly(dataDir);
        }
    }

    private static string NewDataRoot(string prefix) =>
        Path.Combine(Path.GetTempPath(), "leadgen-tests", $"{prefix}-signal-{Guid.NewGuid().ToString("N")[..12]}");

    private static async Task SendAsync(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Alive means the process exists and is not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string[]? ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool PortAnswers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan bound, ServerProcess? server)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (server is { HasExited: true })
            {
                Assert.Fail($"the script exited early:\n{server.Output}");
            }

            if (deadline.Elapsed > bound)
            {
                Assert.Fail($"condition not met within {bound.TotalSeconds} s:\n{server?.Output}");
            }

            await Task.Delay(50);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
