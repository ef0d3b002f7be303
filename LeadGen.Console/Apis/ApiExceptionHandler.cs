using System.Reflection;
using LeadGen.Core.Leads.Import;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Apis;

/// <summary>
/// Turns the exceptions the API expects into ProblemDetails with a clear message (the rest stay 500s). Every 400 has
/// the validation shape (<see cref="BadRequests"/>): binding failures name each bad field under <c>errors</c>.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, IOptions<JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        switch (exception)
        {
            case ImportFormatException format:
                await BadRequests.Body(format.Message).ExecuteAsync(httpContext);
                return true;
            case Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CharacterNotInRepertoire }:
                // PostgreSQL text cannot hold U+0000; the statement failed whole, so nothing was written.
                await BadRequests.Body("Text values may not contain the NUL character (U+0000).").ExecuteAsync(httpContext);
                return true;
            case BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad:
                await BadRequests.Result(await BindingErrorsAsync(httpContext, bad), "The request could not be read; see errors.").ExecuteAsync(httpContext);
                return true;
        }

        var (status, title, detail) = exception switch
        {
            ImportTooLargeException tooLarge => (StatusCodes.Status413PayloadTooLarge, "Upload too large", tooLarge.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "Request too large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException other => (other.StatusCode, "Bad request", other.Message),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
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

    /// <summary>
    /// Every bad field of the request, not only the first the framework tripped on: the JSON body is re-read (it is
    /// buffered for /api) and checked whole against the endpoint's body type, and every query value against its parameter.
    /// </summary>
    private async Task<Dictionary<string, string[]>> BindingErrorsAsync(HttpContext context, BadHttpRequestException exception)
    {
        // The exception handler middleware clears the endpoint before handlers run; its feature keeps the original.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (endpoint?.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            foreach (var (field, messages) in RequestTypeErrors.ForQuery(context.Request.Query, handler))
            {
                errors[field] = messages;
            }
        }

        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (exception.InnerException is System.Text.Json.JsonException && bodyType is not null && context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            foreach (var (field, messages) in RequestTypeErrors.ForBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), bodyType, json.Value.SerializerOptions))
            {
                errors[field] = messages;
            }
        }

        if (errors.Count == 0)
        {
            // Nothing more precise to say (e.g. no body at all): the framework's message, for the body as a whole.
            errors[BadRequests.BodyField] = [Describe(exception)];
        }

        return errors;
    }

    private static string Describe(BadHttpRequestException exception) => exception switch
    {
        { InnerException: System.Text.Json.JsonException json } => $"The request body is not valid JSON for this endpoint: {json.Message}",
        _ when exception.Message.Contains("was not provided from body", StringComparison.Ordinal) => "A JSON body is required.",
        _ => exception.Message,
    };
}
