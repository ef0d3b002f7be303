using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadGen.Core.Calls.Recording;

/// <summary>
/// Starts a call's recording when its campaign records calls (and a store is configured), and when the call ends
/// stores it and links it to the call (<c>calls.recording_key</c>). A recording is written to a temporary file while
/// the call runs, so a long call costs disk, not memory. Recording never fails a call: problems are logged and counted.
/// </summary>
public sealed class CallRecorder(
    IRecordingStore store,
    NpgsqlDataSource dataSource,
    IOptions<RecordingOptions> options,
    RecordingTelemetry telemetry,
    ILogger<CallRecorder> logger)
{
    public const string ContentType = "audio/ogg";

    /// <summary>The object key of a call's recording.</summary>
    public static string KeyFor(Guid callId) => $"calls/{callId:N}.ogg";

    /// <summary>A recording for the call, or null when it is not to be recorded (campaign setting, no store).</summary>
    public async Task<ActiveRecording?> StartAsync(Guid callId, EngineAudioFormat audio, CancellationToken cancellationToken)
    {
        try
        {
            if (store is NoRecordingStore || !await RecordsAsync(callId, cancellationToken))
            {
                return null;
            }

            var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return new ActiveRecording(this, callId, file, new CallRecording(file, audio, options.Value));
        }
        catch (Exception exception) when (exception is IOException or NpgsqlException or UnauthorizedAccessException)
        {
            telemetry.Recordings.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            logger.LogError(exception, "Call {CallId}: the recording could not be started; the call goes on unrecorded", callId);
            return null;
        }
    }

    /// <summary>Calls of a campaign that records, and inbound calls matched to no campaign (their opening line mentions recording too).</summary>
    private async Task<bool> RecordsAsync(Guid callId, CancellationToken cancellationToken)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            SELECT COALESCE(p.record_calls, true) FROM calls c LEFT JOIN campaigns p ON p.id = c.campaign_id WHERE c.id = @id
            """, null, cancellationToken);
        scope.With("id", callId);
        return await scope.Command.ExecuteScalarAsync(cancellationToken) is true;
    }

    internal async Task SaveAsync(Guid callId, Stream file, CallRecording recording)
    {
        var duration = recording.Finish();
        if (duration == TimeSpan.Zero)
        {
            telemetry.Recordings.Add(1, new KeyValuePair<string, object?>("outcome", "empty"));
            return;
        }

        var key = KeyFor(callId);
        try
        {
            file.Position = 0;
            await store.SaveAsync(key, file, ContentType, CancellationToken.None);
            if (!await LinkAsync(callId, key))
            {
                // The lead was erased while the call ran: its recording must not outlive the erasure.
                await store.DeleteAsync(key, CancellationToken.None);
                telemetry.Recordings.Add(1, new KeyValuePair<string, object?>("outcome", "discarded"));
                return;
            }

            telemetry.Recordings.Add(1, new KeyValuePair<string, object?>("outcome", "saved"));
            logger.LogInformation("Call {CallId}: recording saved ({Seconds:F0} s, {Bytes} bytes)", callId, duration.TotalSeconds, file.Length);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or NpgsqlException or Google.GoogleApiException or InvalidOperationException or TaskCanceledException)
        {
            telemetry.Recordings.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            logger.LogError(exception, "Call {CallId}: the recording could not be stored", callId);
        }
    }

    private async Task<bool> LinkAsync(Guid callId, string key)
    {
        await using var scope = await DbCommandScope.OpenAsync(dataSource, """
            UPDATE calls SET recording_key = @key, updated_at = now() WHERE id = @id AND erased_at IS NULL
            """, null, CancellationToken.None);
        scope.With("id", callId);
        scope.With("key", key);
        return await scope.Command.ExecuteNonQueryAsync(CancellationToken.None) == 1;
    }
}

/// <summary>One call's recording in progress: <see cref="Tap"/> the transport, then <see cref="SaveAsync"/> when the call is over.</summary>
public sealed class ActiveRecording : IAsyncDisposable
{
    private readonly CallRecorder _recorder;
    private readonly Guid _callId;
    private readonly FileStream _file;
    private readonly CallRecording _recording;

    internal ActiveRecording(CallRecorder recorder, Guid callId, FileStream file, CallRecording recording)
    {
        _recorder = recorder;
        _callId = callId;
        _file = file;
        _recording = recording;
    }

    /// <summary>The same transport, with both directions recorded as they pass.</summary>
    public ICallTransport Tap(ICallTransport transport) => new RecordingCallTransport(transport, _recording);

    /// <summary>Ends the recording and stores it; never throws (failures are logged).</summary>
    public Task SaveAsync() => _recorder.SaveAsync(_callId, _file, _recording);

    public async ValueTask DisposeAsync()
    {
        _recording.Dispose();
        await _file.DisposeAsync();
    }
}
