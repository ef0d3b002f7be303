using System.Text.Json.Nodes;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;

namespace LeadGen.Console.Apis;

/// <summary>/api/leads and /api/campaigns/{id}/leads: list with filters and keyset paging, get, create, patch, erase.</summary>
internal static class LeadsApi
{
    public static RouteGroupBuilder MapLeadsApi(this RouteGroupBuilder api)
    {
        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapGet("/", (Guid? campaignId, string? status, string? phone, string? q, Guid? after, int? limit, LeadStore store, PhoneNumberNormalizer phones, CancellationToken ct) =>
            ListAsync(campaignId, status, phone, q, after, limit, store, phones, ct))
            .WithSummary("List leads; filters: campaignId, status, phone, q (name/email/company); paging: after + limit")
            .Produces<Page<Lead>>();
        leads.MapGet("/{id:guid}", GetAsync).WithSummary("Get a lead").Produces<Lead>().ProducesProblem(StatusCodes.Status404NotFound);
        leads.MapPatch("/{id:guid}", PatchAsync).WithSummary("Change fields of a lead (JSON merge patch)")
            .Produces<Lead>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        leads.MapDelete("/{id:guid}", EraseAsync)
            .WithSummary("Erase a lead: removes its personal data from the lead, its calls and transcripts; counts stay")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);

        var campaignLeads = api.MapGroup("/campaigns/{campaignId:guid}/leads").WithTags("Leads");
        campaignLeads.MapGet("/", async (Guid campaignId, string? status, string? phone, string? q, Guid? after, int? limit, LeadStore store, Core.Campaigns.CampaignStore campaigns, PhoneNumberNormalizer phones, CancellationToken ct) =>
            await campaigns.GetAsync(campaignId, ct) is null
                ? Problems.NotFound("campaign", campaignId)
                : await ListAsync(campaignId, status, phone, q, after, limit, store, phones, ct))
            .WithSummary("List a campaign's leads").Produces<Page<Lead>>().ProducesProblem(StatusCodes.Status404NotFound);
        campaignLeads.MapPost("/", CreateAsync).WithSummary("Add one lead to a campaign")
            .Produces<Lead>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> ListAsync(Guid? campaignId, string? status, string? phone, string? q, Guid? after, int? limit,
        LeadStore store, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        if (status is not null && !LeadStatuses.All.Contains(status))
        {
            validation.Add("status", $"One of: {string.Join(", ", LeadStatuses.All)}.");
        }

        string? e164 = null;
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var normalized = phones.Normalize(phone);
            validation.Check("phone", normalized.Error);
            e164 = normalized.E164;
        }

        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        var query = new LeadQuery
        {
            CampaignId = campaignId,
            Status = status,
            Phone = e164,
            Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim(),
            After = after,
            Limit = pageSize,
        };
        return TypedResults.Ok(await store.ListAsync(query, ct));
    }

    private static async Task<IResult> GetAsync(Guid id, LeadStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } lead ? TypedResults.Ok(lead) : Problems.NotFound("lead", id);

    private static async Task<IResult> CreateAsync(Guid campaignId, NewLeadRequest request, LeadStore store, Core.Campaigns.CampaignStore campaigns, LeadRowParser parser, CancellationToken ct)
    {
        var validation = new Validation();
        if (LeadRequestValidator.Validate(request, parser, validation) is not { } lead)
        {
            return validation.Result();
        }

        if (await campaigns.GetAsync(campaignId, ct) is null)
        {
            return Problems.NotFound("campaign", campaignId);
        }

        return await store.CreateAsync(campaignId, lead, ct) is { } created
            ? TypedResults.Created($"/api/leads/{created.Id}", created)
            : Problems.Conflict($"The campaign already has a lead with phone number {lead.Phone}.");
    }

    private static async Task<IResult> PatchAsync(Guid id, JsonObject body, LeadCommands commands, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        LeadPatch? patch;
        try
        {
            patch = LeadRequestValidator.ValidatePatch(body, phones, validation);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // A JsonObject reads its values lazily: invalid UTF-8, lone surrogates and duplicate keys surface only here.
            return BadRequests.Body($"The request body is not valid JSON: {ex.Message}");
        }

        if (patch is null)
        {
            return validation.Result();
        }

        var result = await commands.PatchAsync(id, patch, ct);
        return result.Outcome switch
        {
            LeadUpdateOutcome.Updated => TypedResults.Ok(result.Lead),
            LeadUpdateOutcome.NotFound => Problems.NotFound("lead", id),
            LeadUpdateOutcome.Erased => Problems.Conflict("The lead was erased; it can no longer be changed."),
            LeadUpdateOutcome.DuplicatePhone => Problems.Conflict("Another lead in this campaign already has that phone number."),
            _ => Problems.Conflict("The lead's number is on the do-not-call list; remove it from the list (DELETE /api/do-not-call/{phone}) before making the lead callable."),
        };
    }

    private static async Task<IResult> EraseAsync(Guid id, PersonalDataEraser eraser, CancellationToken ct) =>
        await eraser.EraseLeadAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("lead", id);
}
