using System.Net.Http.Json;
using System.Text.Json;

namespace LeadGen.SmokeTest;

/// <summary>
/// One text conversation turn through the agent: POST /api/conversations, then POST /api/conversations/{id}/messages.
/// The request shapes follow the conversation API's contract as the issue describes it ({} to start, {"text"} per
/// message, the conversation's "id" in the response or its Location header); adjust here if that contract changes.
/// A 404 fails the check with a plain message, so a deployment without the endpoint never passes as healthy.
/// </summary>
internal sealed class ConversationProbe(string? apiKey, string apiKeyVariable) : ISmokeCheck
{
    private const string StartPath = "/api/conversations";
    private const string FirstMessage = "Hello, this is a deployment smoke test. Who am I speaking with?";

    public string Name => "conversation";

    public async Task<CheckResult> RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        if (apiKey is null)
        {
            return CheckResult.Fail(Name, $"no management API key: set the environment variable {apiKeyVariable}");
        }

        using var start = await PostAsync(http, StartPath, new { }, cancellationToken);
        if (ResponseText.IsNotFound(start))
        {
            return CheckResult.Fail(Name, $"POST {StartPath} returned 404 Not Found: the text conversation API is not deployed at this URL");
        }

        if (!start.IsSuccessStatusCode)
        {
            return CheckResult.Fail(Name, await ResponseText.DescribeAsync(HttpMethod.Post, StartPath, start, cancellationToken));
        }

        var conversationId = await ReadConversationIdAsync(start, cancellationToken);
        if (conversationId is null)
        {
            return CheckResult.Fail(Name, $"POST {StartPath} returned {(int)start.StatusCode} without a conversation id (body \"id\" or Location header)");
        }

        var messagesPath = $"{StartPath}/{Uri.EscapeDataString(conversationId)}/messages";
        using var turn = await PostAsync(http, messagesPath, new { text = FirstMessage }, cancellationToken);
        if (!turn.IsSuccessStatusCode)
        {
            return CheckResult.Fail(Name, await ResponseText.DescribeAsync(HttpMethod.Post, messagesPath, turn, cancellationToken));
        }

        var reply = await turn.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(reply)
            ? CheckResult.Fail(Name, $"POST {messagesPath} returned {(int)turn.StatusCode} with an empty body (no agent reply)")
            : CheckResult.Pass(Name, $"conversation {conversationId}: the agent answered one turn ({(int)turn.StatusCode}, {reply.Length} characters)");
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient http, string path, object body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path.TrimStart('/'), UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add(ManagementApiProbe.ApiKeyHeader, apiKey);
        return SendAndDisposeRequestAsync(http, request, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await http.SendAsync(request, cancellationToken);
        }
    }

    private static async Task<string?> ReadConversationIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                return id.ToString();
            }
        }
        catch (JsonException)
        {
            // Fall back to the Location header.
        }

        var location = response.Headers.Location?.OriginalString;
        return string.IsNullOrEmpty(location) ? null : location.TrimEnd('/').Split('/')[^1];
    }
}
