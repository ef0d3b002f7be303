using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadGen.Console.Apis;

/// <summary>
/// Guards /api: the X-Api-Key header must equal ManagementApi:ApiKey (compared in constant time over SHA-256 digests, so
/// neither content nor length leaks through timing). Runs before model binding, so an unauthenticated caller learns
/// nothing about the endpoint. Also applies the request-size limits with a clear 413 before any body is read.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptionsMonitor<ManagementApiOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.ApiKey))
        {
            await WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "Management API not configured",
                "ManagementApi:ApiKey is not set on the server, so the management API refuses every call.");
            return;
        }

        var presented = context.Request.Headers[ManagementApiOptions.HeaderName].ToString();
        if (presented.Length == 0 || !KeysMatch(presented, settings.ApiKey))
        {
            context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ManagementApiOptions.HeaderName}\"";
            await WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                presented.Length == 0
                    ? $"Send the management API key in the {ManagementApiOptions.HeaderName} header."
                    : $"The {ManagementApiOptions.HeaderName} header does not hold a valid key.");
            return;
        }

        var limit = context.GetEndpoint()?.Metadata.GetMetadata<LargeUploadMetadata>() is { } upload
            ? upload.MaxBytes(context.RequestServices)
            : settings.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await WriteProblemAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large",
                $"The request body is {context.Request.ContentLength:N0} bytes; the limit here is {limit:N0} bytes.");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Uploads enforce their own limit while streaming (with a clear message); JSON bodies use the server's.
            sizeFeature.MaxRequestBodySize = context.GetEndpoint()?.Metadata.GetMetadata<LargeUploadMetadata>() is null ? limit : null;
        }

        await next(context);
    }

    private static bool KeysMatch(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}

/// <summary>Marks an endpoint that streams a large upload; its size limit comes from configuration.</summary>
internal sealed class LargeUploadMetadata(Func<IServiceProvider, long> maxBytes)
{
    public long MaxBytes(IServiceProvider services) => maxBytes(services);
}
