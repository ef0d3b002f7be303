using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadGen.VoiceApi.Tests;

internal static class ApiClientExtensions
{
    public static async Task<JsonObject> CreateCampaignAsync(this HttpClient client, string name = "Test campaign", object? settings = null)
    {
        var response = await client.PostAsJsonAsync("/api/campaigns", new { name, settings });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, Guid campaignId, byte[] body, string contentType = "text/csv", string query = "") =>
        client.PostAsync($"/api/campaigns/{campaignId}/leads/import{query}", new ByteArrayContent(body) { Headers = { { "Content-Type", contentType } } });

    public static Task<HttpResponseMessage> ImportAsync(this HttpClient client, Guid campaignId, string csv, string query = "") =>
        client.ImportAsync(campaignId, Encoding.UTF8.GetBytes(csv), "text/csv", query);

    public static Guid Id(this JsonNode node) => node["id"]!.GetValue<Guid>();

    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), body);
    }

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
