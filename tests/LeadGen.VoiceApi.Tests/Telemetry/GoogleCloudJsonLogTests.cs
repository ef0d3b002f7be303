using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace LeadGen.VoiceApi.Tests.Telemetry;

/// <summary>
/// ServiceDefaults' console logs on Cloud Run: one JSON object per line that Cloud Logging reads as a structured entry
/// (severity, message) linked to its trace and span (logging.googleapis.com/trace, spanId, trace_sampled).
/// </summary>
public sealed class GoogleCloudJsonLogTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStructuredConsoleLogs();
        return builder.Build();
    }

    private static string Write(IHost host, LogLevel level, string message, Exception? exception = null)
    {
        var formatter = host.Services.GetServices<ConsoleFormatter>().Single(candidate => candidate.Name == GoogleCloudJsonConsoleFormatter.FormatterName);
        using var output = new StringWriter();
        formatter.Write(new LogEntry<string>(level, "LeadGen.Calls.Bridge", new EventId(42, "CallBridged"), message, exception, (state, _) => state), null, output);
        return output.ToString();
    }

    [Fact]
    public void On_cloud_run_the_console_uses_the_json_formatter_and_elsewhere_keeps_its_default()
    {
        using var cloudRun = BuildHost(new() { ["K_SERVICE"] = "voiceapi" });
        using var job = BuildHost(new() { ["CLOUD_RUN_JOB"] = "migrations" });
        using var local = BuildHost([]);
        using var chosen = BuildHost(new() { ["K_SERVICE"] = "voiceapi", ["Logging:Console:FormatterName"] = "simple" });

        Assert.Equal(GoogleCloudJsonConsoleFormatter.FormatterName, cloudRun.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.Equal(GoogleCloudJsonConsoleFormatter.FormatterName, job.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.NotEqual(GoogleCloudJsonConsoleFormatter.FormatterName, local.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        // An explicit choice wins over the Cloud Run default.
        Assert.NotEqual(GoogleCloudJsonConsoleFormatter.FormatterName, chosen.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public void A_line_inside_a_span_carries_severity_and_the_trace_resource_name_cloud_logging_links()
    {
        using var host = BuildHost(new() { ["K_SERVICE"] = "voiceapi", ["GOOGLE_CLOUD_PROJECT"] = "leadgen-staging" });
        using var source = new ActivitySource("LeadGen.Tests.Logs");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        string line;
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        using (var activity = source.StartActivity("media-stream"))
        {
            Assert.NotNull(activity);
            traceId = activity.TraceId;
            spanId = activity.SpanId;
            line = Write(host, LogLevel.Warning, "Bridge lagging by 340 ms");
        }

        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n')); // one entry per line, whatever the message holds
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("WARNING", root.GetProperty("severity").GetString());
        Assert.Equal("Bridge lagging by 340 ms", root.GetProperty("message").GetString());
        Assert.Equal("LeadGen.Calls.Bridge", root.GetProperty("category").GetString());
        Assert.Equal(42, root.GetProperty("eventId").GetInt32());
        Assert.Equal($"projects/leadgen-staging/traces/{traceId.ToHexString()}", root.GetProperty("logging.googleapis.com/trace").GetString());
        Assert.Equal(spanId.ToHexString(), root.GetProperty("logging.googleapis.com/spanId").GetString());
        Assert.True(root.GetProperty("logging.googleapis.com/trace_sampled").GetBoolean());
    }

    [Fact]
    public void Errors_keep_their_stack_trace_in_one_line_and_lines_outside_a_span_have_no_trace()
    {
        using var host = BuildHost(new() { ["K_SERVICE"] = "worker", ["GOOGLE_CLOUD_PROJECT"] = "leadgen-staging" });
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Twilio refused the call\nsecond line");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        Assert.Null(Activity.Current);
        var line = Write(host, LogLevel.Critical, "Dial failed", thrown);

        Assert.Single(line.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("CRITICAL", root.GetProperty("severity").GetString());
        Assert.Contains("InvalidOperationException: Twilio refused the call\nsecond line", root.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
        Assert.Contains(nameof(Errors_keep_their_stack_trace_in_one_line_and_lines_outside_a_span_have_no_trace), root.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("logging.googleapis.com/trace", out _));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARNING")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "CRITICAL")]
    public void Levels_map_to_cloud_logging_severities(LogLevel level, string severity) =>
        Assert.Equal(severity, GoogleCloudJsonConsoleFormatter.Severity(level));
}
