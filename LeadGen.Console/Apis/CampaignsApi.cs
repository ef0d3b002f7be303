using LeadGen.Core.Campaigns;
using LeadGen.Core.Dialer;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;

namespace LeadGen.Console.Apis;

/// <summary>/api/campaigns: CRUD, start/pause/complete, stats, dialer state.</summary>
internal static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaignsApi(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", ListAsync).WithSummary("List campaigns (keyset paging by id)").Produces<Page<Campaign>>();
        campaigns.MapPost("/", CreateAsync).WithSummary("Create a campaign (status draft)").Produces<Campaign>(StatusCodes.Status201Created);
        campaigns.MapGet("/{id:guid}", GetAsync).WithSummary("Get a campaign").Produces<Campaign>().ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapPut("/{id:guid}", UpdateAsync).WithSummary("Replace a campaign's name and settings")
            .Produces<Campaign>().ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a campaign that has no leads, calls or imports")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:guid}/start", StartAsync)
            .WithSummary("Start (or resume) calling: draft/paused → running (409 without a telephony provider)").WithStatusChangeResponses();
        campaigns.MapPost("/{id:guid}/pause", (Guid id, CampaignStore store, CancellationToken ct) =>
            ChangeStatusAsync(id, CampaignTransitions.PauseFrom, CampaignStatuses.Paused, store, ct))
            .WithSummary("Pause calling: running → paused").WithStatusChangeResponses();
        campaigns.MapPost("/{id:guid}/complete", (Guid id, CampaignStore store, CancellationToken ct) =>
            ChangeStatusAsync(id, CampaignTransitions.CompleteFrom, CampaignStatuses.Completed, store, ct))
            .WithSummary("Finish a campaign for good").WithStatusChangeResponses();
        campaigns.MapGet("/{id:guid}/stats", StatsAsync).WithSummary("Counts by status, qualification rate, average duration, tokens")
            .Produces<CampaignStats>().ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapGet("/{id:guid}/dialer", DialerStateAsync)
            .WithSummary("The campaign's dialer: live calls by status, call slots, leads left, next due lead, last dial error")
            .Produces<DialerState>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static RouteHandlerBuilder WithStatusChangeResponses(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<Campaign>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<IResult> ListAsync(string? status, Guid? after, int? limit, CampaignStore store, CancellationToken ct)
    {
        var validation = new Validation();
        if (status is not null && !CampaignStatuses.All.Contains(status))
        {
            validation.Add("status", $"One of: {string.Join(", ", CampaignStatuses.All)}.");
        }

        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        var items = await store.ListAsync(status, after, pageSize + 1, ct);
        return TypedResults.Ok(items.Count > pageSize
            ? new Page<Campaign>(items.Take(pageSize).ToList(), items[pageSize - 1].Id)
            : new Page<Campaign>(items, null));
    }

    private static async Task<IResult> CreateAsync(CampaignRequest request, CampaignStore store, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        if (CampaignRules.Validate(request, phones, validation.Add) is not { } valid)
        {
            return validation.Result();
        }

        var campaign = await store.CreateAsync(valid.Name, valid.Settings, ct);
        return TypedResults.Created($"/api/campaigns/{campaign.Id}", campaign);
    }

    private static async Task<IResult> GetAsync(Guid id, CampaignStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } campaign ? TypedResults.Ok(campaign) : Problems.NotFound("campaign", id);

    private static async Task<IResult> UpdateAsync(Guid id, CampaignRequest request, CampaignStore store, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        if (CampaignRules.Validate(request, phones, validation.Add) is not { } valid)
        {
            return validation.Result();
        }

        return await store.UpdateAsync(id, valid.Name, valid.Settings, ct) is { } campaign ? TypedResults.Ok(campaign) : Problems.NotFound("campaign", id);
    }

    private static async Task<IResult> DeleteAsync(Guid id, CampaignStore store, CancellationToken ct) => await store.DeleteAsync(id, ct) switch
    {
        DeleteOutcome.Deleted => TypedResults.NoContent(),
        DeleteOutcome.NotFound => Problems.NotFound("campaign", id),
        _ => Problems.Conflict("The campaign has leads, calls or imports; complete it instead of deleting it (erase leads individually if needed)."),
    };

    private static async Task<IResult> ChangeStatusAsync(Guid id, IReadOnlyCollection<string> allowedFrom, string to, CampaignStore store, CancellationToken ct)
    {
        var change = await store.ChangeStatusAsync(id, allowedFrom, to, ct);
        if (!change.Found)
        {
            return Problems.NotFound("campaign", id);
        }

        if (!change.Changed && change.PreviousStatus != to)
        {
            return Problems.Conflict($"The campaign is {change.PreviousStatus}; it can become {to} only from {string.Join(" or ", allowedFrom)}.");
        }

        // Already in the target status: the request is idempotent and succeeds.
        return TypedResults.Ok(await store.GetAsync(id, ct));
    }

    private static async Task<IResult> StartAsync(Guid id, CampaignStore store, ITelephonyProvider telephony, CancellationToken ct)
    {
        // Calls "placed" without a provider would never progress and would hold the campaign's call slots.
        if (RecordingTelephonyProvider.IsStandIn(telephony))
        {
            return await store.GetAsync(id, ct) is null ? Problems.NotFound("campaign", id) : Problems.Conflict(RecordingTelephonyProvider.NotConfiguredDetail);
        }

        return await ChangeStatusAsync(id, CampaignTransitions.StartFrom, CampaignStatuses.Running, store, ct);
    }

    private static async Task<IResult> DialerStateAsync(Guid id, DialerStateQuery query, CancellationToken ct) =>
        await query.GetAsync(id, ct) is { } state ? TypedResults.Ok(state) : Problems.NotFound("campaign", id);

    private static async Task<IResult> StatsAsync(Guid id, CampaignStore store, CampaignStatsQuery stats, CancellationToken ct) =>
        await store.GetAsync(id, ct) is null ? Problems.NotFound("campaign", id) : TypedResults.Ok(await stats.GetAsync(id, ct));
}
