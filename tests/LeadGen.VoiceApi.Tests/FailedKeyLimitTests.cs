using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// Wrong management keys and failed sign-ins are counted per client address: past the limit, 429 with Retry-After, even
/// for the right key, while other addresses carry on; the attempted secrets are never logged. Each test dials from its
/// own loopback address (127.0.0.x), so the per-client counts are real TCP peers, not a header anyone could forge.
/// </summary>
public sealed class FailedKeyLimitTests(FailedKeyLimitTests.Host host) : IClassFixture<FailedKeyLimitTests.Host>
{
    private const string Key = "limit-tests-key-77c1";
    private readonly CapturedLogs _logs = host.Logs;
    private readonly KestrelApp<Program>? _app = host.App;

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
        Assert.Equal(3, _logs.Messages.Count(message => message.Contains("wrong X-Api-Key from 127.0.0.1 ", StringComparison.Ordinal)));
        Assert.DoesNotContain(_logs.Messages, message => attempted.Any(guess => message.Contains(guess, StringComparison.Ordinal)) || message.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_client_address_is_not_limited_by_someone_elses_wrong_keys()
    {
        using var guesser = ClientFrom("127.0.0.2", "guess-from-two-1d1d1d");
        for (var i = 0; i < 3; i++)
        {
            using var refused = await guesser.GetAsync(new Uri("/api/campaigns", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var limited = await guesser.GetAsync(new Uri("/api/campaigns", UriKind.Relative));
        using var neighbour = ClientFrom("127.0.0.4", Key);
        using var served = await neighbour.GetAsync(new Uri("/api/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_with_retry_after_and_the_presented_code_is_never_logged()
    {
        using var browser = ClientFrom("127.0.0.3", apiKey: null);
        var codes = new[] { "stolen-code-4e4e4e", "stolen-code-5f5f5f", "stolen-code-6a6a6a" };
        foreach (var code in codes)
        {
            // A forged OpenID Connect callback: the state is not one this console issued, so the sign-in fails.
            using var callback = await browser.PostAsync(
                new Uri("/signin-oidc", UriKind.Relative),
                new FormUrlEncodedContent([new("code", code), new("state", "forged-state-" + code)]));
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            Assert.Equal("/signin?error=denied", callback.Headers.Location?.OriginalString);
        }

        using var limited = await browser.GetAsync(new Uri("/signin/oidc?returnUrl=%2Fcampaigns", UriKind.Relative));
        using var otherClient = ClientFrom("127.0.0.5", Key);
        using var apiFromElsewhere = await otherClient.GetAsync(new Uri("/api/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 600);
        Assert.Equal(HttpStatusCode.OK, apiFromElsewhere.StatusCode);
        Assert.True(_logs.Messages.Count(message => message.Contains("Console sign-in failed", StringComparison.Ordinal)) >= 3);
        Assert.DoesNotContain(_logs.Messages, message => codes.Any(code => message.Contains(code, StringComparison.Ordinal)));
    }

    /// <summary>A client whose TCP connections come from <paramref name="sourceAddress"/> (any 127.0.0.0/8 address is local on Linux).</summary>
    private HttpClient ClientFrom(string sourceAddress, string? apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = _app!.BaseUrl };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>One app for the class: each test dials from its own address, so their counts do not mix.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly SharedServers _servers = new();

        public CapturedLogs Logs { get; } = new();

        public KestrelApp<Program>? App { get; private set; }

        public async ValueTask InitializeAsync()
        {
            await _servers.InitializeAsync();
            App = await KestrelApp.StartAsync<Program>(_servers, "limit", new Dictionary<string, string?>
            {
                ["ManagementApi:ApiKey"] = Key,
                ["Auth:MaxFailedAttempts"] = "3",
                ["Auth:FailedAttemptWindow"] = "00:10:00",
                // Sign-in by OpenID Connect is on; the issuer is never contacted (every attempt here fails before that).
                ["Auth:Oidc:ClientId"] = "limit-tests-client",
                ["Auth:Oidc:Authority"] = "https://issuer.invalid",
            }, web => web.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs)));
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }

            await _servers.DisposeAsync();
        }
    }

    public sealed class CapturedLogs : ILoggerProvider
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
