using LeadGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// The hosts' shipped log levels (their appsettings.json, as the dashboard shows them): our own Information logs stay,
/// while per-command database, Redis connection and HTTP client chatter (once most of the Worker's log) is off.
/// </summary>
public sealed class LogLevelDefaultsTests
{
    public static TheoryData<string> Hosts() => ["LeadGen.Worker", "LeadGen.VoiceApi"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Library_chatter_is_off_and_our_information_logs_stay_on(string host)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, host, "appsettings.json"), optional: false)
            .Build();
        using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddProvider(new NullProvider()))
            .BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        string[] quiet =
        [
            "Npgsql.Command", "Npgsql.Connection", "StackExchange.Redis.ConnectionMultiplexer",
            "System.Net.Http.HttpClient.Default.LogicalHandler", "System.Net.Http.HttpClient.Default.ClientHandler",
            "Microsoft.AspNetCore.Hosting.Diagnostics", "Polly",
        ];
        foreach (var category in quiet)
        {
            Assert.False(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), $"{host}: {category} logs at Information");
            Assert.True(loggers.CreateLogger(category).IsEnabled(LogLevel.Warning), $"{host}: {category} hides warnings");
        }

        foreach (var category in new[] { "LeadGen.Core.Dialer.DialerJobHandler", "LeadGen.Core.Queue.OutboxRelay", "Microsoft.Hosting.Lifetime" })
        {
            Assert.True(loggers.CreateLogger(category).IsEnabled(LogLevel.Information), $"{host}: {category} is silenced");
        }
    }

    /// <summary>A provider that writes nothing and accepts every level, so only the configured filter rules decide.</summary>
    private sealed class NullProvider : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
