using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Apis;

/// <summary>
/// Request-size limits of the management API's endpoints (marked with <see cref="ManagementApiEndpoint"/>), with a clear
/// 413 before any body is read. Runs after authorization, so an unauthenticated caller learns nothing about limits.
/// Who may call is the route group's authorization policy (the X-Api-Key scheme), not this middleware.
/// </summary>
internal sealed class ManagementApiBodyLimits(RequestDelegate next, IOptionsMonitor<ManagementApiOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ManagementApiEndpoint>() is null)
        {
            await next(context);
            return;
        }

        var upload = endpoint.Metadata.GetMetadata<LargeUploadMetadata>();
        var limit = upload is not null ? upload.MaxBytes(context.RequestServices) : options.CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request too large",
                    Detail = $"The request body is {context.Request.ContentLength:N0} bytes; the limit here is {limit:N0} bytes.",
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Uploads enforce their own limit while streaming (with a clear message); JSON bodies use the server's.
            sizeFeature.MaxRequestBodySize = upload is null ? limit : null;
        }

        if (context.Request.HasJsonContentType())
        {
            // Buffered so a 400 for wrong JSON types can re-read the body and name every bad field (ApiExceptionHandler).
            context.Request.EnableBuffering();
        }

        await next(context);
    }
}

/// <summary>Marks the management API's endpoints (the /api route group).</summary>
internal sealed class ManagementApiEndpoint
{
    public static ManagementApiEndpoint Instance { get; } = new();
}

/// <summary>Marks an endpoint that streams a large upload; its size limit comes from configuration.</summary>
internal sealed class LargeUploadMetadata(Func<IServiceProvider, long> maxBytes)
{
    public long MaxBytes(IServiceProvider services) => maxBytes(services);
}
