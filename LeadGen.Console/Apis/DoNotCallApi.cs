using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;

namespace LeadGen.Console.Apis;

/// <summary>/api/do-not-call: add, remove, check and list numbers that must never be called.</summary>
internal static class DoNotCallApi
{
    public sealed record DoNotCallRequest(string? Phone, string? Reason, string? Country);

    public sealed record DoNotCallAdded(DoNotCallEntry Entry, int LeadsFlagged);

    public sealed record DoNotCallCheck(string Phone, bool Listed, DoNotCallEntry? Entry);

    public sealed record DoNotCallPage(IReadOnlyList<DoNotCallEntry> Items, string? NextCursor);

    public static RouteGroupBuilder MapDoNotCallApi(this RouteGroupBuilder api)
    {
        var list = api.MapGroup("/do-not-call").WithTags("Do not call");
        list.MapPost("/", AddAsync).WithSummary("Add a number; every lead with it (all campaigns) becomes do_not_call").Produces<DoNotCallAdded>();
        list.MapGet("/", ListAsync).WithSummary("List numbers (keyset paging by phone)").Produces<DoNotCallPage>();
        list.MapGet("/check", CheckAsync).WithSummary("Is this number listed?").Produces<DoNotCallCheck>();
        list.MapDelete("/{phone}", RemoveAsync).WithSummary("Remove a number (leads stay do_not_call until changed)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> AddAsync(DoNotCallRequest request, DoNotCallRegistry registry, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        var phone = Normalize(request.Phone, request.Country, phones, validation);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        validation.Check("reason", LeadFieldRules.CheckLength(reason, 500));
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        var (entry, flagged) = await registry.AddAsync(phone!, reason, "api", ct);
        return TypedResults.Ok(new DoNotCallAdded(entry, flagged));
    }

    private static async Task<IResult> ListAsync(string? after, int? limit, DoNotCallRegistry registry, CancellationToken ct)
    {
        var validation = new Validation();
        var pageSize = Paging.Limit(limit, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        var items = await registry.ListAsync(after, pageSize + 1, ct);
        return TypedResults.Ok(new DoNotCallPage([.. items.Take(pageSize)], items.Count > pageSize ? items[pageSize - 1].Phone : null));
    }

    private static async Task<IResult> CheckAsync(string? phone, string? country, DoNotCallRegistry registry, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        var e164 = Normalize(phone, country, phones, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        var entry = await registry.GetAsync(e164!, ct);
        return TypedResults.Ok(new DoNotCallCheck(e164!, entry is not null, entry));
    }

    private static async Task<IResult> RemoveAsync(string phone, DoNotCallRegistry registry, PhoneNumberNormalizer phones, CancellationToken ct)
    {
        var validation = new Validation();
        var e164 = Normalize(phone, null, phones, validation);
        if (!validation.IsValid)
        {
            return validation.Result();
        }

        return await registry.RemoveAsync(e164!, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"{e164} is not on the do-not-call list.");
    }

    private static string? Normalize(string? phone, string? country, PhoneNumberNormalizer phones, Validation validation)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            validation.Add("phone", "A phone number is required.");
            return null;
        }

        var result = phones.Normalize(phone, country);
        validation.Check("phone", result.Error);
        return result.E164;
    }
}
