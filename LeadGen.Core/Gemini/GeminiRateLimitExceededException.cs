namespace LeadGen.Core.Gemini;

/// <summary>
/// The shared per-model limit (requests or tokens per minute) stayed exhausted for longer than the configured wait.
/// The agent answers this gracefully (a holding line, the caller's turn kept) instead of failing the call.
/// </summary>
public sealed class GeminiRateLimitExceededException : Exception
{
    public GeminiRateLimitExceededException(string model, TimeSpan retryAfter)
        : base($"The Gemini rate limit for model '{model}' is exhausted; capacity frees up in {retryAfter.TotalSeconds:F1} s.")
    {
        Model = model;
        RetryAfter = retryAfter;
    }

    public GeminiRateLimitExceededException()
    {
        Model = string.Empty;
    }

    public GeminiRateLimitExceededException(string message)
        : base(message)
    {
        Model = string.Empty;
    }

    public GeminiRateLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        Model = string.Empty;
    }

    public string Model { get; }

    /// <summary>How long until the limiter expects capacity.</summary>
    public TimeSpan RetryAfter { get; }
}
