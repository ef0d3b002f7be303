using LeadGen.Console.Auth;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Recording;

namespace LeadGen.Console.Recordings;

/// <summary>
/// Plays a call's recording to signed-in viewers: streamed from the recording store (local folder or Cloud Storage)
/// through this host, with byte ranges so the browser can seek and read the duration. Never a public URL.
/// </summary>
public static class RecordingEndpoints
{
    public static WebApplication MapLeadGenRecordingPlayback(this WebApplication app)
    {
        app.MapGet("/recordings/calls/{id:guid}", PlayAsync).RequireAuthorization(ConsolePolicies.Viewer);
        return app;
    }

    private static async Task<IResult> PlayAsync(Guid id, CallStore calls, IRecordingStore store, ILoggerFactory loggers, HttpContext context, CancellationToken ct)
    {
        if (await calls.GetAsync(id, ct) is not { RecordingKey: { } key })
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No recording", detail: $"Call {id} has no recording (not recorded, erased, or past retention).");
        }

        var stream = await store.OpenReadAsync(key, ct);
        if (stream is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No recording", detail: $"The recording of call {id} is no longer in the store.");
        }

        loggers.CreateLogger(typeof(RecordingEndpoints)).LogInformation("Recording of call {CallId} played", id);
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.Stream(stream, CallRecorder.ContentType, enableRangeProcessing: true);
    }
}
