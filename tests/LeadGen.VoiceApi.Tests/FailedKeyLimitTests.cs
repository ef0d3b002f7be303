using System.Collections.Concurrent;
using System.Net;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.VoiceApi.Tests;

/// <summary>Wrong management keys are counted per client address: past the limit, 429 with Retry-After, even for the right key.</summary>
public sealed class FailedKeyLimitTests : IAsyncLifetime
{
    private const string Key = "limit-tests-key-77c1";
    private readonly SharedServers _servers = new();
    private readonly CapturedLogs _logs = new();
    private KestrelApp<Program>? _app;

    public async Task InitializeAsync()
    {
        await _servers.InitializeAsync();
        _app = await KestrelApp.StartAsync<Program>(_servers, "limit", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = Key,
            ["Auth:MaxFailedAttempts"] = "3",
            ["Auth:FailedAttemptWindow"] = "00:10:00",
        }, web => web.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
    }

    [Fact]
    public async Task After_three_wrong_keys_the_client_gets_429_with_retry_after_and_the_keys_are_never_logged()
    {
        var attempted = new[] { "guess-one-8a8a8a", "guess-two-9b9b9b", "guess-three-0c0c0c" };
        foreach (var guess in attempted)
        {
            using var wrong = _app!.CreateClient(guess);
            using var refused = await wrong.GetAsync(new Uri("/api/campaigns", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var right = _app!.CreateClient(Key);
        using var limited = await right.GetAsync(new Uri("/api/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 600);
        Assert.Equal(3, _logs.Messages.Count(message => message.Contains("wrong X-Api-Key", StringComparison.Ordinal)));
        Assert.DoesNotContain(_logs.Messages, message => attempted.Any(guess => message.Contains(guess, StringComparison.Ordinal)) || message.Contains(Key, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception) + exception);
        }
    }
}
