using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Options of <see cref="GoogleCloudJsonConsoleFormatter"/>.</summary>
public sealed class GoogleCloudJsonFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The project in trace resource names (<c>projects/P/traces/T</c>); from <c>GOOGLE_CLOUD_PROJECT</c>.</summary>
    public string? ProjectId { get; set; }
}

/// <summary>
/// Console formatter <c>gcp-json</c>: one JSON object per line in the shape Cloud Run's logging agent turns into a
/// structured Cloud Logging entry — <c>severity</c>, <c>message</c>, and, inside a trace, <c>logging.googleapis.com/trace</c>
/// (<c>projects/P/traces/T</c>), <c>logging.googleapis.com/spanId</c> and <c>logging.googleapis.com/trace_sampled</c>, so
/// Cloud Logging files the line under its request and Cloud Trace shows it beside the span. Exceptions go to
/// <c>stack_trace</c> (Error Reporting reads it). Only the formatted message is written, never the raw arguments.
/// </summary>
public sealed class GoogleCloudJsonConsoleFormatter : ConsoleFormatter, IDisposable
{
    public const string FormatterName = "gcp-json";

    private readonly IDisposable? _reload;
    private GoogleCloudJsonFormatterOptions _options;

    public GoogleCloudJsonConsoleFormatter(IOptionsMonitor<GoogleCloudJsonFormatterOptions> options) : base(FormatterName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.CurrentValue;
        _reload = options.OnChange(updated => _options = updated);
    }

    /// <summary>Cloud Logging's LogSeverity names for .NET's levels.</summary>
    public static string Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "DEFAULT",
    };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logEntry.LogLevel));
            json.WriteString("message", message ?? logEntry.Exception!.Message);
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }

            if (!string.IsNullOrEmpty(logEntry.EventId.Name))
            {
                json.WriteString("eventName", logEntry.EventId.Name);
            }

            // The console logger formats on the logging thread, so the current activity is the caller's span.
            if (Activity.Current is { } activity && activity.TraceId != default)
            {
                var traceId = activity.TraceId.ToHexString();
                json.WriteString("logging.googleapis.com/trace",
                    string.IsNullOrEmpty(_options.ProjectId) ? traceId : $"projects/{_options.ProjectId}/traces/{traceId}");
                json.WriteString("logging.googleapis.com/spanId", activity.SpanId.ToHexString());
                json.WriteBoolean("logging.googleapis.com/trace_sampled", activity.Recorded);
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("stack_trace", exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    public void Dispose() => _reload?.Dispose();
}
