namespace LeadGen.Core.Gemini.RateLimiting;

/// <summary>Admits Gemini requests under limits shared by every instance of the product.</summary>
public interface IGeminiRateLimiter
{
    /// <summary>
    /// Waits (up to <see cref="GeminiRateLimitOptions.MaxWait"/>) until one more request of about
    /// <paramref name="estimatedTokens"/> tokens fits the model's limits, then records it.
    /// </summary>
    /// <param name="maxWait">A tighter wait bound than the configured one (a ringing call cannot wait 10 s).</param>
    /// <exception cref="GeminiRateLimitExceededException">No capacity within the wait bound.</exception>
    ValueTask<IGeminiRateLease> AcquireAsync(string model, int estimatedTokens, CancellationToken cancellationToken, TimeSpan? maxWait = null);

    /// <summary>
    /// Counts tokens already used outside a request (a Live call reports usage turn by turn for as long as it runs), so
    /// the shared token budget, and with it every other request's admission, sees them.
    /// </summary>
    ValueTask RecordAsync(string model, int tokens, CancellationToken cancellationToken);
}

/// <summary>An admitted request; report the tokens it really used so the token budget counts actual usage.</summary>
public interface IGeminiRateLease
{
    ValueTask CompleteAsync(int? actualTokens, CancellationToken cancellationToken);
}
