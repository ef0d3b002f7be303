using LeadGen.Core.Leads.Import;
using Microsoft.AspNetCore.Diagnostics;

namespace LeadGen.Console.Apis;

/// <summary>Turns the exceptions the API expects into ProblemDetails with a clear message (the rest stay 500s).</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            ImportTooLargeException tooLarge => (StatusCodes.Status413PayloadTooLarge, "Upload too large", tooLarge.Message),
            ImportFormatException format => (StatusCodes.Status400BadRequest, "Unreadable upload", format.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Request too large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", Describe(bad)),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Names the JSON problem (e.g. "'maxAttempts' must be a number") instead of only "failed to read".</summary>
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : exception.Message;
}
