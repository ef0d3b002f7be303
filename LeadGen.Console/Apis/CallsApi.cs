using LeadGen.Core.Calls;
using LeadGen.Core.Leads;

namespace LeadGen.Console.Apis;

/// <summary>/api/calls: list with filters and keyset paging; get one call with its transcript.</summary>
internal static class CallsApi
{
    public sealed record CallDetails(Call Call, IReadOnlyList<CallTurn> Transcript);

    public static RouteGroupBuilder MapCallsApi(this RouteGroupBuilder api)
    {
        var calls = api.MapGroup("/calls").WithTags("Calls");
        calls.MapGet("/", ListAsync).WithSummary("List calls; filters: campaignId, leadId, status, disposition; paging: after + limit")
            .Produces<Page<Call>>();
        calls.MapGet("/{id:guid}", GetAsync).WithSummary("Get a call with its transcript").Produces<CallDetails>().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(Guid? campaignId, Guid? leadId, string? status, string? disposition, Guid? after, int? limit, CallStore store, CancellationToken ct)
    {
        var validation = new Validation();
        if (status is not null && !CallStatuses.All.Contains(status))
        {
            validation.Add("status", $"One of: {string.Join(", ", CallStatuses.All)}.");
        }

        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        return TypedResults.Ok(await store.ListAsync(new CallQuery
        {
            CampaignId = campaignId,
            LeadId = leadId,
            Status = status,
            Disposition = disposition,
            After = after,
            Limit = pageSize,
        }, ct));
    }

    private static async Task<IResult> GetAsync(Guid id, CallStore store, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } call)
        {
            return Problems.NotFound("call", id);
        }

        return TypedResults.Ok(new CallDetails(call, await store.GetTranscriptAsync(id, ct)));
    }
}
