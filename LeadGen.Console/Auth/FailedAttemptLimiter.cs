using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Auth;

/// <summary>
/// Counts failed sign-in and API key attempts per client address in a fixed window; past the limit the client gets 429
/// with Retry-After until the window ends. Kept in each instance's memory (each instance limits on its own): enough to
/// make guessing a 24-byte key or an allow-listed account hopeless, with no extra round trip per request.
/// </summary>
public sealed class FailedAttemptLimiter(IOptionsMonitor<ConsoleAuthOptions> options, TimeProvider clock)
{
    private const int MaxTrackedClients = 100_000;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>How long the client must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(IPAddress? client)
    {
        var settings = options.CurrentValue;
        if (!_windows.TryGetValue(Key(client), out var window))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var ends = window.Started + settings.FailedAttemptWindow;
        return window.Failures >= settings.MaxFailedAttempts && now < ends ? ends - now : null;
    }

    /// <summary>Records one failed attempt.</summary>
    public void RecordFailure(IPAddress? client)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        if (_windows.Count > MaxTrackedClients)
        {
            foreach (var (key, stale) in _windows)
            {
                if (now >= stale.Started + settings.FailedAttemptWindow)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        _windows.AddOrUpdate(
            Key(client),
            _ => new Window(now, 1),
            (_, window) => now >= window.Started + settings.FailedAttemptWindow ? new Window(now, 1) : window with { Failures = window.Failures + 1 });
    }

    private static string Key(IPAddress? client) => client?.MapToIPv6().ToString() ?? "unknown";

    private sealed record Window(DateTimeOffset Started, int Failures);
}
