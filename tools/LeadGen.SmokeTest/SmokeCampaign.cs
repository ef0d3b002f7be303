namespace LeadGen.SmokeTest;

/// <summary>
/// The campaign the smoke test's throw-away leads belong to: found by name, created (status draft) when missing.
/// It is never started, so the dialer never calls its leads.
/// </summary>
internal static class SmokeCampaign
{
    public const string Name = "LeadGen deployment smoke test (never start)";
    private const int PageSize = 100;
    private const int MaxPages = 50;

    public static async Task<(string? Id, string? Failure)> FindOrCreateAsync(ApiCall api, CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var list = await api.GetAsync($"/api/campaigns?limit={PageSize}" + (cursor is null ? "" : $"&after={cursor}"), cancellationToken);
            if (!list.Succeeded || list.Body is not { } body || !body.TryGetProperty("items", out var items))
            {
                return (null, list.Succeeded ? "GET /api/campaigns did not return a page with \"items\"" : list.Description);
            }

            foreach (var campaign in items.EnumerateArray())
            {
                if (campaign.TryGetProperty("name", out var name) && name.GetString() == Name && campaign.TryGetProperty("id", out var id))
                {
                    return (id.ToString(), null);
                }
            }

            cursor = body.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                break;
            }
        }

        var created = await api.PostAsync("/api/campaigns", new
        {
            name = Name,
            settings = new { description = "Holds the short-lived leads of deployment smoke tests; they are erased after each run." },
        }, cancellationToken);
        return created.Succeeded && created.Text("id") is { } createdId ? (createdId, null) : (null, created.Description);
    }
}
