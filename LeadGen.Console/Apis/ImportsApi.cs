using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LeadGen.Console.Apis;

/// <summary>
/// Bulk import: POST /api/campaigns/{id}/leads/import streams CSV or JSON lines into the campaign (see LeadImporter
/// for the duplicate, do-not-call and atomic rules); GET /api/imports/{id} reports progress and the outcome.
/// </summary>
internal static class ImportsApi
{
    private const int ErrorsInline = 100;

    public sealed record ImportView(ImportJob Import, IReadOnlyList<ImportRowError> Errors, string ErrorsUrl);

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/campaigns/{campaignId:guid}/leads/import", ImportAsync)
            .WithTags("Imports")
            .WithMetadata(new LargeUploadMetadata(services => services.GetRequiredService<IOptions<LeadOptions>>().Value.ImportMaxBytes))
            .WithSummary("Import leads from CSV (text/csv) or JSON lines (application/x-ndjson); ?atomic=true: all or nothing; ?async=true: return 202 at once and poll the job")
            .Accepts<string>("text/csv", "application/x-ndjson", "application/jsonl")
            .Produces<ImportView>().Produces<ImportView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/campaigns/{campaignId:guid}/imports", ListAsync).WithTags("Imports").WithSummary("A campaign's imports, newest first")
            .Produces<IReadOnlyList<ImportJob>>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/imports/{id:guid}", GetAsync).WithTags("Imports").WithSummary("Import progress and outcome (first 100 row errors)")
            .Produces<ImportView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/imports/{id:guid}/errors", ErrorsAsync).WithTags("Imports").WithSummary("Row errors in row order (paging: afterRow + limit)")
            .Produces<IReadOnlyList<ImportRowError>>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ImportAsync(Guid campaignId, string? format, bool? atomic, bool? async, HttpRequest request,
        CampaignStore campaigns, ImportJobStore jobs, LeadImporter importer, BackgroundImports background, CancellationToken ct)
    {
        var resolvedFormat = ResolveFormat(format, request.ContentType);
        if (resolvedFormat is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported format",
                detail: "Send text/csv or application/x-ndjson (JSON lines), or name the format with ?format=csv|jsonl.");
        }

        var campaign = await campaigns.GetAsync(campaignId, ct);
        if (campaign is null)
        {
            return Problems.NotFound("campaign", campaignId);
        }

        if (campaign.Status == CampaignStatuses.Completed)
        {
            return Problems.Conflict("The campaign is completed; import leads into a campaign that is draft, running or paused.");
        }

        try
        {
            if (async == true)
            {
                var queued = await background.EnqueueAsync(campaignId, resolvedFormat, atomic ?? false, request.Body, ct);
                return TypedResults.Accepted($"/api/imports/{queued.Id}", new ImportView(queued, [], ErrorsUrl(queued.Id)));
            }

            var job = await jobs.CreateAsync(campaignId, resolvedFormat, atomic ?? false, request.ContentLength, ct);
            try
            {
                job = await importer.RunAsync(job, request.Body, ct);
            }
            catch (ImportFormatException ex)
            {
                return BadRequests.Body(ex.Message, new Dictionary<string, object?> { ["importId"] = job.Id });
            }

            var view = new ImportView(job, await jobs.GetErrorsAsync(job.Id, 0, ErrorsInline, ct), ErrorsUrl(job.Id));
            if (job.Status == ImportJobStatuses.RolledBack)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Import rolled back",
                    detail: job.Error, extensions: new Dictionary<string, object?> { ["import"] = job, ["errors"] = view.Errors, ["errorsUrl"] = view.ErrorsUrl });
            }

            return TypedResults.Ok(view);
        }
        catch (ImportTooLargeException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Upload too large", detail: ex.Message);
        }
    }

    private static async Task<IResult> ListAsync(Guid campaignId, int? limit, ImportJobStore jobs, CampaignStore campaigns, CancellationToken ct)
    {
        var validation = new Validation();
        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        return await campaigns.GetAsync(campaignId, ct) is null
            ? Problems.NotFound("campaign", campaignId)
            : TypedResults.Ok(await jobs.ListForCampaignAsync(campaignId, pageSize, ct));
    }

    private static async Task<IResult> GetAsync(Guid id, ImportJobStore jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job
            ? TypedResults.Ok(new ImportView(job, await jobs.GetErrorsAsync(id, 0, ErrorsInline, ct), ErrorsUrl(id)))
            : Problems.NotFound("import", id);

    private static async Task<IResult> ErrorsAsync(Guid id, int? afterRow, int? limit, ImportJobStore jobs, CancellationToken ct)
    {
        var validation = new Validation();
        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        return await jobs.GetAsync(id, ct) is null
            ? Problems.NotFound("import", id)
            : TypedResults.Ok(await jobs.GetErrorsAsync(id, afterRow ?? 0, pageSize, ct));
    }

    private static string ErrorsUrl(Guid id) => $"/api/imports/{id}/errors";

    private static string? ResolveFormat(string? format, string? contentType)
    {
        if (format is not null)
        {
            return format.ToLowerInvariant() switch
            {
                "csv" => ImportFormats.Csv,
                "jsonl" or "ndjson" or "jsonlines" => ImportFormats.JsonLines,
                _ => null,
            };
        }

        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        return mediaType.MediaType.Value?.ToLowerInvariant() switch
        {
            "text/csv" or "application/csv" => ImportFormats.Csv,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" => ImportFormats.JsonLines,
            _ => null,
        };
    }
}
