using System.Net;

namespace LeadGen.Core.Gemini;

/// <summary>
/// Vertex AI refused or failed a request: the HTTP status, Google's status word (e.g. INVALID_ARGUMENT) and Google's
/// own message. Thrown at once for 400/401/403/404; for 429/5xx only after the retries are spent.
/// </summary>
public sealed class GeminiRequestException : Exception
{
    public GeminiRequestException(string message, HttpStatusCode? statusCode, string? googleStatus, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        GoogleStatus = googleStatus;
    }

    public GeminiRequestException()
    {
    }

    public GeminiRequestException(string message)
        : base(message)
    {
    }

    public GeminiRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Null when no response arrived (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string? GoogleStatus { get; }
}
