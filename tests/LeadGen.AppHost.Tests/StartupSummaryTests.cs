using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LeadGen.AppHost.Tests;

/// <summary>
/// When the local stack is up, the AppHost logs where everything is (true for ./run.sh and dotnet run alike); when it
/// stops, the local Postgres stops with it, promptly and without leaving its lock file.
/// </summary>
public sealed class StartupSummaryTests : IDisposable
{
    private const string Category = "LeadGen.AppHost.StartupSummary";
    private readonly string _localData = Path.Combine(Path.GetTempPath(), "leadgen-tests", "apphost-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task The_stack_logs_every_url_and_the_key_file_when_up_and_leaves_no_postgres_when_stopped()
    {
        using var timeout = new CancellationTokenSource(LocalStack.StartupTimeout);
        var logs = new ConcurrentQueue<string>();
        var app = await LocalStack.StartAsync(_localData, timeout.Token, logging => logging
            .AddFilter(Category, LogLevel.Information)
            .AddProvider(new CapturingProvider(Category, logs)));
        string pidFile;
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync("voiceapi", timeout.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
            while (logs.IsEmpty)
            {
                await Task.Delay(100, timeout.Token);
            }

            var summary = Assert.Single(logs);
            var keyFile = Path.Combine(Path.GetFullPath(_localData), "secrets", "management-api-key");
            Assert.Contains(app.GetEndpoint("voiceapi", "http").ToString().TrimEnd('/'), summary, StringComparison.Ordinal);
            Assert.Contains(app.GetEndpoint("console", "http").ToString().TrimEnd('/'), summary, StringComparison.Ordinal);
            Assert.Contains(app.GetEndpoint("worker", "http").ToString().TrimEnd('/') + "/health", summary, StringComparison.Ordinal);
            Assert.Contains(keyFile, summary, StringComparison.Ordinal);
            Assert.Contains("dashboard", summary, StringComparison.Ordinal);
            Assert.DoesNotContain((await File.ReadAllTextAsync(keyFile, timeout.Token)).Trim(), summary, StringComparison.Ordinal);

            pidFile = Path.Combine(_localData, "postgres", "pgdata", "postmaster.pid");
            Assert.True(File.Exists(pidFile), "Postgres runs from the local data folder");
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Stopping the AppHost stops its executables with a signal; the script turns it into Postgres's fast shutdown.
        var stopped = Stopwatch.StartNew();
        while (File.Exists(pidFile) && stopped.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100, CancellationToken.None);
        }

        Assert.False(File.Exists(pidFile), "postmaster.pid still exists 5 s after the AppHost stopped");
        Assert.DoesNotContain(Directory.GetDirectories("/proc"), process => CommandLine(process).Contains(_localData, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_localData, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }

    private static string CommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private sealed class CapturingProvider(string category, ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => categoryName == category ? new Capture(logs) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Capture(ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue(formatter(state, exception));
        }
    }
}
