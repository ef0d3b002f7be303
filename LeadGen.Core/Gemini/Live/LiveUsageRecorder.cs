using LeadGen.Core.Gemini.RateLimiting;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// Where one Live session's <c>usageMetadata</c> goes besides the call's own record (an <see cref="Calls.Realtime.EngineUsage"/>
/// event): the GenAI token metric, and the shared rate limiter's token budget (fire and forget: the reader loop must
/// not wait on Redis).
/// </summary>
public sealed class LiveUsageRecorder(string model, LiveTelemetry telemetry, IGeminiRateLimiter? limiter, ILogger logger)
{
    public void Record(LiveUsage usage)
    {
        telemetry.Record(model, usage);
        var tokens = (int)Math.Min(int.MaxValue, usage.InputTokens + usage.OutputTokens);
        if (limiter is null || tokens <= 0)
        {
            return;
        }

        _ = RecordAsync(tokens);
    }

    private async Task RecordAsync(int tokens)
    {
        try
        {
            await limiter!.RecordAsync(model, tokens, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogWarning(exception, "Could not record Live token usage in the rate limiter");
        }
    }
}
