using System.Text;
using LeadGen.Console.Auth;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;

namespace LeadGen.Console.Exports;

/// <summary>
/// CSV downloads for signed-in people (cookie; not the machines' /api): an import's row errors, and a campaign's
/// qualified leads. Both stream page by page, so a large export never sits in memory.
/// </summary>
public static class ExportEndpoints
{
    private const int PageSize = 1000;

    public static WebApplication MapLeadGenConsoleExports(this WebApplication app)
    {
        var exports = app.MapGroup("/exports");
        exports.MapGet("/imports/{id:guid}/errors.csv", ImportErrorsAsync).RequireAuthorization(ConsolePolicies.Viewer);
        exports.MapGet("/campaigns/{id:guid}/qualified.csv", QualifiedLeadsAsync).RequireAuthorization(ConsolePolicies.Operator);
        return app;
    }

    private static async Task<IResult> ImportErrorsAsync(Guid id, ImportJobStore jobs, HttpContext context, CancellationToken ct)
    {
        if (await jobs.GetAsync(id, ct) is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Import {id} does not exist.");
        }

        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false));
            await writer.WriteAsync(CsvCell.Row("row", "kind", "column", "reason"));
            var after = 0;
            while (true)
            {
                var page = await jobs.GetErrorsAsync(id, after, PageSize, ct);
                var full = page.Count == PageSize;
                // A row may have several errors: on a full page, leave the last row's errors to the next page whole.
                var lastRow = page.Count > 0 ? page[^1].Row : after;
                foreach (var error in page.Where(error => !full || error.Row != lastRow || page[0].Row == lastRow))
                {
                    await writer.WriteAsync(CsvCell.Row(error.Row, error.Kind, error.Column, error.Reason));
                }

                if (!full || page[0].Row == lastRow)
                {
                    break;
                }

                after = lastRow - 1;
            }
        }, "text/csv", $"import-{id:N}-errors.csv");
    }

    private static IResult QualifiedLeadsAsync(Guid id, LeadStore leads, ILoggerFactory loggers, HttpContext context, CancellationToken ct)
    {
        ExportLog.QualifiedLeadsExported(loggers.CreateLogger(typeof(ExportEndpoints)), id, context.User.Identity?.Name);
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(false));
            await writer.WriteAsync(CsvCell.Row("id", "name", "phone", "email", "company", "role", "score", "qualification", "updated_at"));
            Guid? after = null;
            do
            {
                var page = await leads.ListAsync(new LeadQuery { CampaignId = id, Status = LeadStatuses.Qualified, After = after, Limit = PageSize }, ct);
                foreach (var lead in page.Items)
                {
                    await writer.WriteAsync(CsvCell.Row(lead.Id, lead.Name, lead.Phone, lead.Email, lead.Company, lead.Role, lead.Score, lead.Qualification.ToJsonString(), lead.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
                }

                after = page.NextCursor;
            }
            while (after is not null);
        }, "text/csv", $"campaign-{id:N}-qualified-leads.csv");
    }
}
