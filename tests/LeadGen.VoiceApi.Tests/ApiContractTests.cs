using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// The API's contract for clients: the OpenAPI document types every response (so generated clients are typed), and
/// every 400 — validation, wrong JSON types, malformed JSON, bad query values, unreadable uploads — has one shape that
/// names each bad field under <c>errors</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiContractTests(ApiFixture api)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Every_operation_documents_typed_success_and_problem_responses()
    {
        var document = await api.Client.GetJsonAsync("/openapi/v1.json");
        var schemas = document["components"]!["schemas"]!.AsObject();
        var operations = 0;
        var missing = new List<string>();

        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var method in Methods.Where(m => item![m] is not null))
            {
                operations++;
                var name = $"{method.ToUpperInvariant()} {path}";
                var responses = item![method]!["responses"]?.AsObject();
                if (responses is null || responses.Count == 0)
                {
                    missing.Add($"{name}: no responses");
                    continue;
                }

                var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
                if (successes.Count == 0)
                {
                    missing.Add($"{name}: no 2xx response");
                }

                foreach (var (status, response) in successes.Where(r => r.Key != "204"))
                {
                    if (SchemaOf(response, "application/json") is null)
                    {
                        missing.Add($"{name}: {status} has no application/json schema");
                    }
                }

                foreach (var status in new[] { "400", "401" }.Concat(path.Contains('{', StringComparison.Ordinal) ? ["404"] : []))
                {
                    if (!responses.ContainsKey(status))
                    {
                        missing.Add($"{name}: no {status} response");
                    }
                }

                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
                {
                    var schema = SchemaOf(response, "application/problem+json");
                    var reference = schema?["$ref"]?.GetValue<string>();
                    var expected = status == "400" ? "HttpValidationProblemDetails" : "ProblemDetails";
                    if (reference != $"#/components/schemas/{expected}")
                    {
                        missing.Add($"{name}: {status} is not application/problem+json {expected} ({schema?.ToJsonString() ?? "no schema"})");
                    }
                }
            }
        }

        Assert.True(operations >= 25, $"only {operations} operations under /api");
        Assert.True(missing.Count == 0, string.Join('\n', missing));
        Assert.NotNull(schemas["ProblemDetails"]);
        Assert.NotNull(schemas["HttpValidationProblemDetails"]!["properties"]!["errors"]);
        Assert.NotNull(schemas["Campaign"]);
    }

    [Fact]
    public async Task Wrong_json_types_list_every_bad_field_under_errors()
    {
        var response = await PostJsonAsync("/api/campaigns", """
            {"name": 42, "settings": {"maxAttempts": "three", "retrySpacingMinutes": true, "consentRequired": "maybe",
             "qualificationQuestions": [{"key": "budget", "question": "Budget?"}, {"key": 7}], "description": "fine"}}
            """);

        var errors = await AssertBadRequestAsync(response);
        Assert.Equal(
            ["name", "settings.consentRequired", "settings.maxAttempts", "settings.qualificationQuestions[1].key", "settings.retrySpacingMinutes"],
            errors.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Contains("number", errors["settings.maxAttempts"]![0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("string", errors["name"]![0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_types_in_a_lead_and_a_do_not_call_body_are_named_too()
    {
        var campaign = await api.Client.CreateCampaignAsync("Typed leads");
        var lead = await PostJsonAsync($"/api/campaigns/{campaign.Id()}/leads", """{"phone": 2125550100, "name": ["Ada"]}""");
        var dnc = await PostJsonAsync("/api/do-not-call", """{"phone": {"number": "2125550100"}}""");
        var notAnObject = await PostJsonAsync("/api/campaigns", "[1, 2]");

        Assert.Equal(["name", "phone"], (await AssertBadRequestAsync(lead)).Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["phone"], (await AssertBadRequestAsync(dnc)).Select(p => p.Key));
        Assert.Equal(["body"], (await AssertBadRequestAsync(notAnObject)).Select(p => p.Key));
    }

    [Fact]
    public async Task Malformed_json_and_a_missing_body_are_400s_under_errors()
    {
        var malformed = await PostJsonAsync("/api/campaigns", """{"name": "x", "settings": {"maxAttempts": 3,}""");
        var missing = await api.Client.PostAsync("/api/campaigns", new StringContent(string.Empty, Encoding.UTF8, "application/json"));

        var malformedErrors = await AssertBadRequestAsync(malformed);
        Assert.Contains("not valid JSON", Assert.Single(malformedErrors)!.Value![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["body"], (await AssertBadRequestAsync(missing)).Select(p => p.Key));
    }

    [Fact]
    public async Task Bad_query_values_are_all_named()
    {
        var response = await api.Client.GetAsync("/api/leads?limit=lots&after=not-a-guid&campaignId=7&status=new");

        Assert.Equal(["after", "campaignId", "limit"], (await AssertBadRequestAsync(response)).Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_kind_of_400_has_the_same_shape()
    {
        var campaign = await api.Client.CreateCampaignAsync("One shape");
        HttpResponseMessage[] responses =
        [
            await PostJsonAsync("/api/campaigns", """{"name": ""}"""), // validation
            await PostJsonAsync("/api/campaigns", """{"name": 1}"""), // wrong type
            await PostJsonAsync("/api/campaigns", "{"), // malformed
            await api.Client.GetAsync("/api/calls?limit=0"), // validation of a query value
            await api.Client.GetAsync("/api/calls?limit=x"), // query value of the wrong type
            await api.Client.ImportAsync(campaign.Id(), "name\nAda\n"), // unreadable upload
            await PostJsonAsync("/api/conversations", "{}"), // conversations API
        ];

        var shapes = new List<string>();
        foreach (var response in responses)
        {
            await AssertBadRequestAsync(response);
            var body = await response.ReadJsonAsync();
            shapes.Add(string.Join(',', body.Select(p => p.Key).Where(k => k is not ("importId" or "traceId")).Order(StringComparer.Ordinal)));
            Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", body["type"]!.GetValue<string>());
        }

        Assert.All(shapes, shape => Assert.Equal("detail,errors,status,title,type", shape));
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string json) =>
        api.Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonObject> AssertBadRequestAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var body = await response.ReadJsonAsync();
        var errors = body["errors"]?.AsObject();
        Assert.True(errors is { Count: > 0 }, $"no errors in: {body.ToJsonString()}");
        Assert.All(errors, pair => Assert.NotEmpty(pair.Value!.AsArray()));
        return errors;
    }

    private static JsonNode? SchemaOf(JsonNode? response, string mediaType) => response?["content"]?[mediaType]?["schema"];
}
