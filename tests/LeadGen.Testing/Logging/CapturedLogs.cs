using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LeadGen.Testing.Logging;

/// <summary>Every log record of every category, as text: message, each state value, scopes and the exception.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider? _scopes;

    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                }
            }

            owner._scopes?.ForEachScope((scope, builder) => builder.Append(" scope=").Append(scope), text);
            text.Append(' ').Append(exception);
            owner.Records.Enqueue((logLevel, category, text.ToString()));
        }
    }
}
