using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LeadGen.SmokeTest;

/// <summary>The answer to one management API call: status, parsed JSON body (when there is one) and a failure description.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, JsonElement? Body, string Description)
{
    public bool Succeeded => (int)Status is >= 200 and < 300;

    public string? Text(string property) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : null;
}

/// <summary>Sends management API requests with the key (header <c>X-Api-Key</c>) and reads their JSON answers.</summary>
internal sealed class ApiCall(HttpClient http, string apiKey)
{
    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, object body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        request.Headers.Add(ManagementApiProbe.ApiKeyHeader, apiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var description = await ResponseText.DescribeAsync(method, path.Split('?')[0], response, cancellationToken);
        return new ApiAnswer(response.StatusCode, await ReadJsonAsync(response, cancellationToken), description);
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
