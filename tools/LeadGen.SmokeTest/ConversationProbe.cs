using System.Globalization;
using System.Security.Cryptography;

namespace LeadGen.SmokeTest;

/// <summary>
/// One text conversation turn through the agent, on a throw-away lead: add a lead (fictional 555-01xx number) to the
/// smoke-test campaign, POST /api/conversations {leadId} (the agent's opening), POST /api/conversations/{id}/messages
/// {text} (the agent's answer), then erase the lead (DELETE /api/leads/{id}) whatever happened. A 404 from the
/// conversation API fails the check with a plain message, so a deployment without it never passes as healthy.
/// </summary>
internal sealed class ConversationProbe(string? apiKey, string apiKeyVariable) : ISmokeCheck
{
    private const string StartPath = "/api/conversations";
    private const string LeadMessage = "Yes, we lose a lot of leads after hours.";
    private const int PhoneAttempts = 3;

    public string Name => "conversation";

    public async Task<CheckResult> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (apiKey is null)
        {
            return CheckResult.Fail(Name, $"no management API key: set the environment variable {apiKeyVariable}");
        }

        var api = new ApiCall(http, apiKey);
        var (campaignId, campaignFailure) = await SmokeCampaign.FindOrCreateAsync(api, cancellationToken);
        if (campaignId is null)
        {
            return CheckResult.Fail(Name, $"could not find or create the smoke-test campaign: {campaignFailure}");
        }

        var (leadId, leadFailure) = await AddLeadAsync(api, campaignId, cancellationToken);
        if (leadId is null)
        {
            return CheckResult.Fail(Name, $"could not add a smoke-test lead: {leadFailure}");
        }

        CheckResult result;
        try
        {
            result = await ConverseAsync(api, leadId, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            result = CheckResult.Fail(Name, $"request failed: {ex.Message}");
        }

        // Always erase the throw-away lead, also when the conversation failed; a lead left behind fails the check.
        var erased = await api.DeleteAsync($"/api/leads/{leadId}", cancellationToken);
        return erased.Succeeded
            ? result
            : CheckResult.Fail(Name, $"{(result.Passed ? "" : result.Detail + "; ")}the smoke-test lead {leadId} was not erased: {erased.Description}");
    }

    private async Task<CheckResult> ConverseAsync(ApiCall api, string leadId, CancellationToken cancellationToken)
    {
        var started = await api.PostAsync(StartPath, new { leadId }, cancellationToken);
        if (started.Status == System.Net.HttpStatusCode.NotFound)
        {
            return CheckResult.Fail(Name, $"POST {StartPath} returned 404 Not Found: the text conversation API is not deployed at this URL ({started.Description})");
        }

        if (!started.Succeeded)
        {
            return CheckResult.Fail(Name, started.Description);
        }

        if (started.Text("conversationId") is not { } conversationId || string.IsNullOrWhiteSpace(started.Text("reply")))
        {
            return CheckResult.Fail(Name, $"POST {StartPath} returned {(int)started.Status} without \"conversationId\" and the agent's \"reply\"");
        }

        var turn = await api.PostAsync($"{StartPath}/{conversationId}/messages", new { text = LeadMessage }, cancellationToken);
        if (!turn.Succeeded)
        {
            return CheckResult.Fail(Name, turn.Description);
        }

        var reply = turn.Text("reply");
        return string.IsNullOrWhiteSpace(reply)
            ? CheckResult.Fail(Name, $"POST {StartPath}/{conversationId}/messages returned {(int)turn.Status} without the agent's \"reply\"")
            : CheckResult.Pass(Name, $"conversation {conversationId}: the agent opened and answered one turn ({reply.Length} characters); lead erased");
    }

    /// <summary>Adds a lead with a random fictional number (555-0100…0199); a duplicate number (409) gets another try.</summary>
    private static async Task<(string? Id, string? Failure)> AddLeadAsync(ApiCall api, string campaignId, CancellationToken cancellationToken)
    {
        string? failure = null;
        for (var attempt = 0; attempt < PhoneAttempts; attempt++)
        {
            var phone = "+1202555" + (100 + RandomNumberGenerator.GetInt32(100)).ToString("0000", CultureInfo.InvariantCulture);
            var created = await api.PostAsync($"/api/campaigns/{campaignId}/leads", new
            {
                name = "Smoke Test",
                phone,
                company = "LeadGen deployment check",
                source = "smoke-test",
                timeZone = "America/New_York",
            }, cancellationToken);
            if (created.Succeeded && created.Text("id") is { } id)
            {
                return (id, null);
            }

            failure = created.Description;
            if (created.Status != System.Net.HttpStatusCode.Conflict)
            {
                break;
            }
        }

        return (null, failure);
    }
}
