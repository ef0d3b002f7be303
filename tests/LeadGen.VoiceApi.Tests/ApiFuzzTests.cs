using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Testing;
using Npgsql;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// Walks the management API's OpenAPI document and sends every operation malformed requests — wrong JSON types, missing
/// and extra fields, huge strings, deep JSON, invalid UTF-8, NUL characters and lone surrogates, wrong content types,
/// negative/huge paging values, garbage and unknown ids, no key — generated from the document's schemas and a seeded
/// random source (the seed is printed; <c>LEADGEN_FUZZ_SEED</c> replays another). Every answer must be below 500, every
/// 4xx a ProblemDetails whose status matches, every case marked strict a 4xx, and a refused write must leave every
/// table exactly as it was (row count and a hash of every row).
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "fuzz-tests-key-2b2b";
    private const string DncPhone = "+12128099977";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private readonly SharedServers _servers = new();
    private KestrelApp<Program>? _app;
    private NpgsqlDataSource? _database;

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        _app = await KestrelApp.StartAsync<Program>(_servers, "fuzz", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = Key,
            ["Leads:DefaultRegion"] = "US",
            ["Telephony:Provider"] = "simulator",
            ["Twilio:AuthToken"] = "test-auth-token-not-a-secret",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _database = NpgsqlDataSource.Create(_app.ConnectionString);
    }

    [Fact]
    public async Task Every_operation_answers_malformed_requests_with_a_4xx_problem_and_never_a_partial_write()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEADGEN_FUZZ_SEED"), out var chosen) ? chosen : 1818;
        output.WriteLine($"fuzz seed={seed} (set LEADGEN_FUZZ_SEED to replay another)");
        var random = new Random(seed);
        using var api = NewClient(Key);
        using var anonymous = NewClient(null);
        var known = await SeedAsync(api);
        var document = JsonNode.Parse(await api.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!.AsObject();
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var fingerprint = await FingerprintAsync();
        var failures = new List<string>();
        var operations = 0;
        var requests = 0;
        var refusedWrites = 0;

        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var method in Methods.Where(m => item![m] is not null))
            {
                operations++;
                var operation = item![method]!.AsObject();
                var cases = Cases(method.ToUpperInvariant(), path, operation, schemas, known, random).ToList();
                Assert.True(cases.Count > 0, $"{method} {path}: no cases");
                foreach (var fuzz in cases)
                {
                    requests++;
                    using var request = fuzz.Build();
                    using var response = await (fuzz.Anonymous ? anonymous : api).SendAsync(request);
                    var status = (int)response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync();
                    var label = $"{fuzz.Method} {fuzz.Url} [{fuzz.Name}] → {status}";
                    if (status >= 500)
                    {
                        failures.Add($"{label} (5xx): {Truncate(body)}");
                    }
                    else if (fuzz.Strict && status is < 400 or >= 500)
                    {
                        failures.Add($"{label}: expected a 4xx: {Truncate(body)}");
                    }

                    var refusedByServer = fuzz.ServerLevel && status is 400 or 414 && body.Length == 0;
                    if (status >= 400 && !refusedByServer && ProblemShape(response, body, status) is { } problem)
                    {
                        failures.Add($"{label}: {problem}");
                    }

                    if (fuzz.Method != "GET")
                    {
                        var after = await FingerprintAsync();
                        if (status >= 400)
                        {
                            refusedWrites++;
                            var changed = after.Where(t => fuzz.MayRecord.All(allowed => t.Key != allowed) && fingerprint.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key).ToList();
                            if (changed.Count > 0)
                            {
                                failures.Add($"{label}: refused, yet wrote to {string.Join(", ", changed)}");
                            }
                        }

                        fingerprint = after;
                    }
                }
            }
        }

        output.WriteLine($"fuzz seed={seed}: {operations} operations, {requests} requests ({refusedWrites} refused writes checked row by row), {failures.Count} failures");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(operations >= 25, $"only {operations} operations under /api");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures:\n{string.Join('\n', failures.Take(60))}");
    }

    /// <summary>What each operation is sent.</summary>
    private static IEnumerable<FuzzCase> Cases(string method, string path, JsonObject operation, JsonObject schemas, KnownIds known, Random random)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var pathNames = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
        var query = parameters.Where(p => (string?)p["in"] == "query").ToList();
        var knownPath = Fill(path, name => known.For(path, name));
        // Known ids are used only where the call cannot destroy the seed (deleting it, starting/completing the campaign).
        var destructive = method == "DELETE" || (method == "POST" && operation["requestBody"] is null);

        yield return new FuzzCase("no api key", method, knownPath) { Anonymous = true, Strict = true };

        // Ids: unknown (404) and garbage (the route does not match: 404); both strictly 4xx.
        if (pathNames.Count > 0)
        {
            yield return new FuzzCase("unknown ids", method, Fill(path, name => name == "phone" ? "+12128010999" : Guid.NewGuid().ToString())) { Strict = true };
            foreach (var garbage in new[] { "not-a-guid", "-1", new string('9', 3000), "%00", "%FF%FE", "..%2F..%2Fadmin", RandomText(random, 12) })
            {
                // Kestrel itself refuses a NUL in the path (a bare 400 before any middleware runs).
                yield return new FuzzCase("garbage id " + Truncate(garbage, 12), method, Fill(path, _ => garbage, escape: false)) { Strict = true, ServerLevel = garbage == "%00" };
            }
        }

        var baseUrl = destructive ? Fill(path, name => name == "phone" ? "+12128010998" : Guid.NewGuid().ToString()) : knownPath;

        // Query values of the wrong type, negative and huge paging, huge and NUL strings.
        foreach (var parameter in query)
        {
            var name = (string)parameter["name"]!;
            var type = TypeOf(parameter["schema"]?.AsObject(), schemas);
            var format = (string?)Resolve(parameter["schema"]?.AsObject(), schemas)?["format"];
            var values = new List<(string Value, bool Strict)>();
            switch (type)
            {
                case "integer" or "number":
                    values.AddRange([("abc", true), ("1.5e3x", true), ("99999999999999999999", true), ("-1", name == "limit"), ("0", name == "limit"), ("100000", name == "limit"), ("-2147483648", name == "limit")]);
                    break;
                case "boolean":
                    values.AddRange([("maybe", true), ("2", true)]);
                    break;
                case "string" when format == "uuid":
                    values.AddRange([("not-a-guid", true), ("%00", true), (Guid.NewGuid().ToString(), false)]);
                    break;
                default:
                    values.AddRange([(new string('q', 6_000), false), ("%00", false), ("%FF%FE", false), ("%ED%A0%80", false), ("' OR 1=1 --", false), (RandomText(random, 40), false)]);
                    break;
            }

            foreach (var (value, strict) in values)
            {
                yield return new FuzzCase($"query {name}={Truncate(value, 12)}", method, $"{baseUrl}?{name}={(value.Contains('%', StringComparison.Ordinal) ? value : Uri.EscapeDataString(value))}") { Strict = strict };
            }
        }

        if (query.Count > 0)
        {
            // Past Kestrel's 8 KB request line: refused by the server (a bare 414) before the app sees it.
            yield return new FuzzCase("20 KB query", method, $"{baseUrl}?{(string)query[0]["name"]!}={new string('q', 20_000)}") { Strict = true, ServerLevel = true };
        }

        if (path.EndsWith("/leads/import", StringComparison.Ordinal))
        {
            foreach (var upload in ImportCases(knownPath, random))
            {
                yield return upload;
            }

            yield break;
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonObject bodySchema)
        {
            yield break;
        }

        var valid = known.ValidBody(method, path) ?? throw new InvalidOperationException($"{method} {path}: add a valid body to KnownIds.ValidBody");
        var url = knownPath;
        FuzzCase Json(string name, string text, bool strict = true) => new(name, method, url) { Body = Encoding.UTF8.GetBytes(text), Strict = strict };
        FuzzCase Raw(string name, byte[] bytes, string? contentType = "application/json", bool strict = true) => new(name, method, url) { Body = bytes, ContentType = contentType, Strict = strict };
        var merge = method == "PATCH"; // a JSON merge patch of nothing is a valid no-op

        yield return Raw("no body", []);
        yield return Json("null", "null");
        yield return Json("array", "[]");
        yield return Json("string", "\"hello\"");
        yield return Json("number", "42");
        yield return Json("empty object", "{}", strict: !merge);
        yield return Json("truncated", valid.ToJsonString()[..(valid.ToJsonString().Length / 2)]);
        yield return Json("trailing garbage", valid.ToJsonString() + "}}]garbage");
        yield return Json("comments", "/* hi */" + valid.ToJsonString());
        yield return Json("single quotes", valid.ToJsonString().Replace('"', '\''));
        yield return Raw("invalid UTF-8", [.. "{\"x\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8]);
        yield return Raw("invalid UTF-8 in a field", InvalidUtf8In(valid));
        yield return Raw("UTF-16 body", Encoding.Unicode.GetBytes(valid.ToJsonString()));
        yield return Json("deep arrays", new string('[', 5000) + new string(']', 5000));
        yield return Json("deep objects in a field", DeepIn(valid, 3000));
        yield return Raw("2 MB body", Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}"));
        yield return Raw("text/plain", Encoding.UTF8.GetBytes(valid.ToJsonString()), "text/plain");
        yield return Raw("application/xml", "<campaign><name>x</name></campaign>"u8.ToArray(), "application/xml");
        yield return Raw("form", "name=x&phone=1"u8.ToArray(), "application/x-www-form-urlencoded");
        yield return Raw("no content type", Encoding.UTF8.GetBytes(valid.ToJsonString()), null);
        yield return Raw("multipart", Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--b--\r\n"), "multipart/form-data; boundary=b");
        yield return Json("extra fields", With(valid, "zzUnexpected", JsonNode.Parse("""{"deep":[1,{"a":null}]}""")).ToJsonString(), strict: false);
        yield return Json("duplicate keys", valid.ToJsonString().TrimEnd('}') + (valid.Count > 0 ? "," : "") + valid.ToJsonString().TrimStart('{'), strict: false);
        yield return Raw("UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(valid.ToJsonString())], strict: false);

        // Field by field: every property the schema (or the valid body) names gets values of the wrong type, huge
        // strings, numbers out of range, NUL characters and lone surrogates.
        foreach (var (fieldPath, type) in Fields(valid, Resolve(bodySchema, schemas), schemas))
        {
            var field = string.Join('.', fieldPath);
            foreach (var wrong in WrongValues(type))
            {
                yield return Json($"{field}={Truncate(wrong, 16)}", Set(valid, fieldPath, wrong));
            }

            if (type is "string" or "unknown")
            {
                yield return Json($"{field}=huge", Set(valid, fieldPath, "\"" + new string('x', 200_000) + "\""));
                yield return Json($"{field}=NUL", Set(valid, fieldPath, "\"a\\u0000b\""), strict: false);
                yield return Json($"{field}=lone surrogate", Set(valid, fieldPath, "\"a\\ud800b\""), strict: false);
                yield return Json($"{field}=control chars", Set(valid, fieldPath, "\"\\u0007\\u001b[31m\\r\\nInjected: yes\""), strict: false);
            }
        }

        // Seeded random mutations: a field gets a random wrong value; a random byte of the valid body is flipped.
        var fields = Fields(valid, Resolve(bodySchema, schemas), schemas).ToList();
        for (var i = 0; i < 8 && fields.Count > 0; i++)
        {
            var (fieldPath, type) = fields[random.Next(fields.Count)];
            var wrongs = WrongValues(type).ToList();
            var wrong = wrongs[random.Next(wrongs.Count)];
            yield return Json($"random {string.Join('.', fieldPath)}={Truncate(wrong, 16)}", Set(valid, fieldPath, wrong));
        }

        for (var i = 0; i < 8; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(valid.ToJsonString());
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            yield return Raw($"random byte flip {i}", bytes, strict: false);
        }
    }

    private static IEnumerable<FuzzCase> ImportCases(string url, Random random)
    {
        FuzzCase Upload(string name, byte[] bytes, string? contentType, bool strict, string query = "") =>
            new(name, "POST", url + query) { Body = bytes, ContentType = contentType, Strict = strict, MayRecord = ["import_jobs", "import_row_errors"] };
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        yield return Upload("application/json", """{"name":"x"}"""u8.ToArray(), "application/json", strict: true);
        yield return Upload("application/xml", "<a/>"u8.ToArray(), "application/xml", strict: true);
        yield return Upload("no content type", "name,phone\nA,+12128010111\n"u8.ToArray(), null, strict: true);
        yield return Upload("unknown format", "name,phone\n"u8.ToArray(), "text/csv", strict: true, "?format=xlsx");
        yield return Upload("atomic=maybe", "name,phone\n"u8.ToArray(), "text/csv", strict: true, "?atomic=maybe");
        yield return Upload("empty csv", [], "text/csv", strict: false);
        yield return Upload("random bytes as csv", garbage, "text/csv", strict: false);
        yield return Upload("random bytes as jsonl", garbage, "application/x-ndjson", strict: false);
        yield return Upload("invalid UTF-8 csv", [.. "name,phone\nA"u8, 0xC3, 0x28, 0xFF, .. ",+12128010112\n"u8], "text/csv", strict: false);
        yield return Upload("NUL in csv", "name,phone\nA\0B,+12128010113\n"u8.ToArray(), "text/csv", strict: false);
        yield return Upload("unbalanced quotes", "name,phone\n\"A,+12128010114\n"u8.ToArray(), "text/csv", strict: false);
        yield return Upload("wrong types in jsonl", "{\"name\":42,\"phone\":[1]}\n{\"name\":{\"a\":1}}\n"u8.ToArray(), "application/x-ndjson", strict: false);
        yield return Upload("deep jsonl", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000) + "\n"), "application/x-ndjson", strict: false);
        yield return Upload("huge csv field", Encoding.UTF8.GetBytes("name,phone\n" + new string('n', 300_000) + ",+12128010115\n"), "text/csv", strict: false);
        yield return Upload("10,000 columns", Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Range(0, 10_000).Select(i => "c" + i)) + "\n"), "text/csv", strict: false);
    }

    private static IEnumerable<string> WrongValues(string type) => type switch
    {
        "string" => ["12345", "true", """{"a":1}""", "[1,2]"],
        "integer" => ["\"abc\"", "3.5", "1e400", "99999999999999999999", "true", "[]"],
        "number" => ["\"abc\"", "1e400", "true", "{}"],
        "boolean" => ["\"yes\"", "1", "[]"],
        "array" => ["""{"x":1}""", "\"str\"", "5", "[[[[1]]]]"],
        "object" => ["\"str\"", "[1]", "5", "true"],
        _ => ["12345", """{"a":1}""", "[1]"],
    };

    /// <summary>Properties to mutate: those of the schema (resolved), and those of the valid body, one level into objects.</summary>
    private static IEnumerable<(string[] Path, string Type)> Fields(JsonObject valid, JsonObject? schema, JsonObject schemas, string[]? prefix = null)
    {
        prefix ??= [];
        var properties = schema?["properties"]?.AsObject();
        var names = (properties?.Select(p => p.Key) ?? []).Concat(valid.Select(p => p.Key)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var propertySchema = properties?[name] as JsonObject;
            var type = TypeOf(propertySchema, schemas);
            if (type == "unknown" && valid[name] is JsonValue value)
            {
                type = value.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.String => "string",
                    System.Text.Json.JsonValueKind.Number => "number",
                    System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
                    _ => "unknown",
                };
            }

            yield return ([.. prefix, name], type);
            if (type == "object" && prefix.Length == 0 && valid[name] is JsonObject nested)
            {
                foreach (var inner in Fields(nested, Resolve(propertySchema, schemas), schemas, [name]))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject? Resolve(JsonObject? schema, JsonObject schemas)
    {
        for (var i = 0; i < 5 && schema is not null; i++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = schemas[reference.Split('/')[^1]] as JsonObject;
            }
            else if ((schema["oneOf"] ?? schema["anyOf"] ?? schema["allOf"]) is JsonArray choices && choices.FirstOrDefault(c => c?["type"]?.ToString() != "null") is JsonObject choice)
            {
                schema = choice;
            }
            else
            {
                return schema;
            }
        }

        return schema;
    }

    private static string TypeOf(JsonObject? schema, JsonObject schemas)
    {
        var resolved = Resolve(schema, schemas);
        return resolved?["type"] switch
        {
            JsonValue single => single.GetValue<string>(),
            JsonArray several => several.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "unknown",
            _ when resolved?["properties"] is not null => "object",
            _ => "unknown",
        };
    }

    private static string Set(JsonObject valid, string[] path, string rawValue)
    {
        var copy = valid.DeepClone().AsObject();
        var target = copy;
        foreach (var step in path[..^1])
        {
            target = target[step] as JsonObject ?? (JsonObject)(target[step] = new JsonObject());
        }

        target[path[^1]] = "__FUZZ__";
        return copy.ToJsonString().Replace("\"__FUZZ__\"", rawValue, StringComparison.Ordinal);
    }

    private static JsonObject With(JsonObject valid, string name, JsonNode? value)
    {
        var copy = valid.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static byte[] InvalidUtf8In(JsonObject valid)
    {
        var text = Set(valid, [valid.FirstOrDefault().Key ?? "x"], "\"__BAD__\"");
        var at = text.IndexOf("__BAD__", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), 0xED, 0xA0, 0x80, 0xC0, 0xAF, .. Encoding.UTF8.GetBytes(text[(at + 7)..])];
    }

    private static string DeepIn(JsonObject valid, int depth) =>
        Set(valid, [valid.FirstOrDefault().Key ?? "x"], string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));

    private static string Fill(string path, Func<string, string> value, bool escape = true) =>
        System.Text.RegularExpressions.Regex.Replace(path, "\\{([^}:]+)(:[^}]*)?\\}", match =>
        {
            var filled = value(match.Groups[1].Value);
            return escape ? Uri.EscapeDataString(filled) : filled;
        });

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "abcXYZ019!$&'()*+,;=:@-._~ éßü中😀\t";
        return new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]).Replace("😀"[0], 'x');
    }

    private static string? ProblemShape(HttpResponseMessage response, string body, int status)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"not application/problem+json ({response.Content.Headers.ContentType}): {Truncate(body)}";
        }

        try
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            if (problem["status"]?.GetValue<int>() != status || string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()))
            {
                return $"problem without matching status and a title: {Truncate(body)}";
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return $"problem body is not JSON: {Truncate(body)}";
        }

        return null;
    }

    private static string Truncate(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>Every table's row count and a hash of its rows (the tables are small: this database is the test's own).</summary>
    private async Task<Dictionary<string, string>> FingerprintAsync()
    {
        var tables = new List<string>();
        await using (var list = _database!.CreateCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schemaversions' ORDER BY 1"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sql = string.Join(" UNION ALL ", tables.Select(t => $"SELECT '{t}', count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM \"{t}\" x"));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = _database.CreateCommand(sql);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            result[rows.GetString(0)] = rows.GetString(1);
        }

        return result;
    }

    /// <summary>One of each resource, made through the API (and a call row through the store, as the dialer would).</summary>
    private async Task<KnownIds> SeedAsync(HttpClient api)
    {
        var campaign = await api.CreateCampaignAsync("Fuzz target");
        var campaignId = campaign.Id();
        using var leadResponse = await api.PostAsync(new Uri($"/api/campaigns/{campaignId}/leads", UriKind.Relative), JsonContent("""{"name":"Fuzz Lead","phone":"+12128010555"}"""));
        var lead = await leadResponse.ReadJsonAsync();
        using var import = await api.ImportAsync(campaignId, "name,phone\nImported Lead,+12128010556\n");
        var importId = (await import.ReadJsonAsync())["import"]!.Id();
        using var conversation = await api.PostAsync(new Uri("/api/conversations", UriKind.Relative), JsonContent($$"""{"leadId":"{{lead.Id()}}"}"""));
        var conversationId = (await conversation.ReadJsonAsync())["conversationId"]!.GetValue<Guid>();
        using var dnc = await api.PostAsync(new Uri("/api/do-not-call", UriKind.Relative), JsonContent($$"""{"phone":"{{DncPhone}}","reason":"asked"}"""));
        Assert.Equal(HttpStatusCode.OK, dnc.StatusCode);
        var call = await new CallStore(_database!, TimeProvider.System).CreateAsync(new NewCall
        {
            LeadId = lead.Id(),
            CampaignId = campaignId,
            Direction = CallDirections.Outbound,
            Provider = "simulator",
            ToNumber = "+12128010555",
            FromNumber = "+12128010001",
            Status = CallStatuses.Completed, // the text conversation already holds the lead's one live call
        }, CancellationToken.None);
        return new KnownIds(campaignId, lead.Id(), call.Id, importId, conversationId);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private HttpClient NewClient(string? apiKey)
    {
        var client = _app!.CreateClient(apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }

    private sealed record KnownIds(Guid Campaign, Guid Lead, Guid Call, Guid Import, Guid Conversation)
    {
        public string For(string path, string parameter) => parameter switch
        {
            "campaignId" => Campaign.ToString(),
            "phone" => DncPhone,
            _ when path.StartsWith("/api/campaigns", StringComparison.Ordinal) => Campaign.ToString(),
            _ when path.StartsWith("/api/leads", StringComparison.Ordinal) => Lead.ToString(),
            _ when path.StartsWith("/api/calls", StringComparison.Ordinal) => Call.ToString(),
            _ when path.StartsWith("/api/imports", StringComparison.Ordinal) => Import.ToString(),
            _ when path.StartsWith("/api/conversations", StringComparison.Ordinal) => Conversation.ToString(),
            _ => throw new InvalidOperationException($"no known value for {{{parameter}}} in {path}"),
        };

        /// <summary>A body the operation accepts: the fuzz cases are mutations of it.</summary>
        public JsonObject? ValidBody(string method, string path) => (method, path) switch
        {
            ("POST" or "PUT", _) when path.StartsWith("/api/campaigns", StringComparison.Ordinal) && !path.Contains("/leads", StringComparison.Ordinal) =>
                Parse("""{"name":"Fuzzed campaign","settings":{"description":"d","maxAttempts":3,"consentRequired":false,"qualificationQuestions":[{"key":"budget","question":"What budget?"}]}}"""),
            ("POST", _) when path.EndsWith("/leads", StringComparison.Ordinal) => Parse("""{"name":"Fuzzed Lead","phone":"+12128010777","email":"fuzz@example.com","company":"Acme"}"""),
            ("PATCH", _) when path.StartsWith("/api/leads", StringComparison.Ordinal) => Parse("""{"company":"Acme Two","role":"CTO"}"""),
            ("POST", "/api/do-not-call") => Parse("""{"phone":"+12128010888","reason":"asked"}"""),
            ("POST", "/api/conversations") => Parse($$"""{"leadId":"{{Lead}}"}"""),
            ("POST", _) when path.EndsWith("/messages", StringComparison.Ordinal) => Parse("""{"text":"Hello there"}"""),
            _ => null,
        };

        private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
    }

    private sealed record FuzzCase(string Name, string Method, string Url)
    {
        public bool Strict { get; init; }

        public bool Anonymous { get; init; }

        /// <summary>Kestrel answers before the app (malformed request line): a bare 400/414 is the expected refusal.</summary>
        public bool ServerLevel { get; init; }

        public byte[]? Body { get; init; }

        public string? ContentType { get; init; } = "application/json";

        /// <summary>Tables a refused request may still write to (an import's own record of a failed upload).</summary>
        public string[] MayRecord { get; init; } = [];

        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(Url, UriKind.Relative));
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
                }
            }

            return request;
        }
    }
}
