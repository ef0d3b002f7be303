using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace LeadGen.VoiceApi.Tests;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFixture api)
{
    private const string Header = "First Name,Last Name,Phone Number,E-mail,Company,Title,Notes";

    [Fact]
    public async Task Thousand_rows_with_fifty_malformed_import_exactly_the_valid_ones_and_report_each_bad_row()
    {
        var campaign = await api.Client.CreateCampaignAsync("Thousand");
        var file = new MemoryStream();
        file.Write([0xEF, 0xBB, 0xBF]); // spreadsheet-style UTF-8 BOM
        Write(file, Header + "\r\n");
        var expected = new List<(int Row, string? Column, string ReasonPart)>();
        for (var i = 0; i < 1000; i++)
        {
            var row = i + 2;
            var phone = Phone(i);
            var company = i % 7 == 0 ? "\"Acme, Inc.\"" : "Globex";
            if (i % 20 != 3)
            {
                Write(file, $"First{i},Last{i},{phone},first{i}@example.com,{company},CTO,note {i}\r\n");
                continue;
            }

            switch (i / 20 % 5)
            {
                case 0:
                    Write(file, $"First{i},Last{i},12345,first{i}@example.com,Globex,CTO,\r\n");
                    expected.Add((row, "Phone Number", "phone number"));
                    break;
                case 1:
                    Write(file, $"First{i},Last{i},,first{i}@example.com,Globex,CTO,\r\n");
                    expected.Add((row, "Phone Number", "required"));
                    break;
                case 2:
                    Write(file, $"First{i},");
                    file.Write([0x4C, 0xFF, 0xFE, 0x61]); // "L\xFF\xFEa": not UTF-8
                    Write(file, $",{phone},first{i}@example.com,Globex,CTO,\r\n");
                    expected.Add((row, "Last Name", "UTF-8"));
                    break;
                case 3:
                    Write(file, $"First{i},Last{i},{phone},first{i}@example.com,Globex,CTO,note,surplus\r\n");
                    expected.Add((row, null, "8 fields but the header has 7"));
                    break;
                default:
                    Write(file, $"First{i},Last{i},{phone},not-an-email,Globex,CTO,\r\n");
                    expected.Add((row, "E-mail", "e-mail"));
                    break;
            }
        }

        var response = await api.Client.ImportAsync(campaign.Id(), file.ToArray());

        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var import = body["import"]!;
        Assert.Equal("completed", import["status"]!.GetValue<string>());
        Assert.Equal(1000, import["rowsRead"]!.GetValue<int>());
        Assert.Equal(950, import["rowsImported"]!.GetValue<int>());
        Assert.Equal(50, import["rowsRejected"]!.GetValue<int>());
        Assert.Equal(0, import["rowsDuplicate"]!.GetValue<int>());
        Assert.Equal(100, import["percent"]!.GetValue<double>());
        Assert.Equal(["Notes"], import["ignoredColumns"]!.AsArray().Select(c => c!.GetValue<string>()));

        var errors = body["errors"]!.AsArray().Select(e => (Row: e!["row"]!.GetValue<int>(), Column: e["column"]?.GetValue<string>(), Reason: e["reason"]!.GetValue<string>(), Kind: e["kind"]!.GetValue<string>())).ToList();
        Assert.Equal(expected.Select(e => (e.Row, e.Column)), errors.Select(e => (e.Row, e.Column)));
        Assert.All(errors.Zip(expected), pair =>
        {
            Assert.Equal("rejected", pair.First.Kind);
            Assert.Contains(pair.Second.ReasonPart, pair.First.Reason, StringComparison.OrdinalIgnoreCase);
        });

        // The job endpoint tells the same story, and the leads are really there, normalised.
        var job = await api.Client.GetJsonAsync($"/api/imports/{import.Id()}");
        Assert.Equal(950, job["import"]!["rowsImported"]!.GetValue<int>());
        var first = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&phone=%2B12122010000"))["items"]!.AsArray().Single()!;
        Assert.Equal("First0 Last0", first["name"]!.GetValue<string>());
        Assert.Equal("Acme, Inc.", first["company"]!.GetValue<string>());
        Assert.Equal("America/New_York", first["timeZone"]!.GetValue<string>());
        Assert.Equal("new", first["status"]!.GetValue<string>());
        var stats = await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats");
        Assert.Equal(950, stats["leads"]!.GetValue<long>());
    }

    [Fact]
    public async Task Duplicates_within_the_file_and_against_the_campaign_are_skipped_and_existing_leads_kept()
    {
        var campaign = await api.Client.CreateCampaignAsync("Dedupe");
        var first = await api.Client.ImportAsync(campaign.Id(), "name,phone\nAda,(212) 301-0001\nBob,212-301-0002\nAda again,+1 212 301 0001\n");
        var second = await api.Client.ImportAsync(campaign.Id(), "name,phone\nBob renamed,2123010002\nCyd,2123010003\n");

        var firstBody = await first.ReadJsonAsync();
        var secondBody = await second.ReadJsonAsync();
        Assert.Equal(2, firstBody["import"]!["rowsImported"]!.GetValue<int>());
        Assert.Equal(1, firstBody["import"]!["rowsDuplicate"]!.GetValue<int>());
        var inFile = firstBody["errors"]!.AsArray().Single()!;
        Assert.Equal((4, "duplicate"), (inFile["row"]!.GetValue<int>(), inFile["kind"]!.GetValue<string>()));
        Assert.Contains("row 2", inFile["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(1, secondBody["import"]!["rowsImported"]!.GetValue<int>());
        Assert.Equal(1, secondBody["import"]!["rowsDuplicate"]!.GetValue<int>());
        Assert.Equal(2, secondBody["errors"]!.AsArray().Single()!["row"]!.GetValue<int>());
        var bob = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&phone=2123010002"))["items"]!.AsArray().Single()!;
        Assert.Equal("Bob", bob["name"]!.GetValue<string>());
        Assert.Equal(3, (await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/stats"))["leads"]!.GetValue<long>());
    }

    [Fact]
    public async Task Numbers_on_the_do_not_call_list_are_imported_flagged_and_never_new()
    {
        var campaign = await api.Client.CreateCampaignAsync("DNC");
        var add = await api.Client.PostAsJsonAsync("/api/do-not-call", new { phone = "(212) 401-0001", reason = "asked us" });
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);

        var response = await api.Client.ImportAsync(campaign.Id(), "phone,name\n2124010001,Listed\n2124010002,Free\n");

        var import = (await response.ReadJsonAsync())["import"]!;
        Assert.Equal(2, import["rowsImported"]!.GetValue<int>());
        Assert.Equal(1, import["rowsDoNotCall"]!.GetValue<int>());
        var listed = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&status=do_not_call"))["items"]!.AsArray();
        Assert.Equal("+12124010001", listed.Single()!["phone"]!.GetValue<string>());
        var fresh = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&status=new"))["items"]!.AsArray();
        Assert.Equal("+12124010002", fresh.Single()!["phone"]!.GetValue<string>());
        var check = await api.Client.GetJsonAsync("/api/do-not-call/check?phone=%2B12124010001");
        Assert.True(check["listed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Atomic_import_with_one_bad_row_imports_nothing_and_reports_it()
    {
        var campaign = await api.Client.CreateCampaignAsync("Atomic");
        const string csv = "phone,email\n2125010001,a@example.com\n2125010002,b@example.com\nnonsense,c@example.com\n2125010004,d@example.com\n";

        var atomic = await api.Client.ImportAsync(campaign.Id(), csv, "?atomic=true");

        await atomic.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var problem = await atomic.ReadJsonAsync();
        Assert.Equal("rolled_back", problem["import"]!["status"]!.GetValue<string>());
        Assert.Equal(0, problem["import"]!["rowsImported"]!.GetValue<int>());
        Assert.Equal(4, problem["errors"]!.AsArray().Single()!["row"]!.GetValue<int>());
        Assert.Empty((await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/leads"))["items"]!.AsArray());
        var job = await api.Client.GetJsonAsync($"/api/imports/{problem["import"]!.Id()}");
        Assert.Equal("rolled_back", job["import"]!["status"]!.GetValue<string>());

        var lenient = await api.Client.ImportAsync(campaign.Id(), csv);
        Assert.Equal(3, (await lenient.ReadJsonAsync())["import"]!["rowsImported"]!.GetValue<int>());
    }

    [Fact]
    public async Task Json_lines_import_maps_key_styles_and_reports_bad_lines()
    {
        var campaign = await api.Client.CreateCampaignAsync("JSONL");
        var lines = string.Join('\n',
            """{"name":"Ann","phone":"+44 20 7946 0001","country":"GB","timeZone":"Europe/London"}""",
            """{"full_name":"Ben","phone_number":"2126010002","consent_given_at":"2026-01-02T10:00:00Z","consentMethod":"web form"}""",
            "",
            """{"name":"Broken", "phone": """,
            """{"name":"Nested","phone":{"value":"2126010004"}}""",
            """["not","an","object"]""",
            """{"Phone Number":2126010007,"extra":"ignored"}""");

        var response = await api.Client.ImportAsync(campaign.Id(), Encoding.UTF8.GetBytes(lines), "application/x-ndjson");

        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var import = body["import"]!;
        Assert.Equal(("jsonl", 6, 3, 3), (import["format"]!.GetValue<string>(), import["rowsRead"]!.GetValue<int>(), import["rowsImported"]!.GetValue<int>(), import["rowsRejected"]!.GetValue<int>()));
        Assert.Equal(new[] { 4, 5, 6 }, body["errors"]!.AsArray().Select(e => e!["row"]!.GetValue<int>()));
        Assert.Equal("phone", body["errors"]![1]!["column"]!.GetValue<string>());
        Assert.Equal(["extra"], import["ignoredColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        var ann = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&q=Ann"))["items"]!.AsArray().Single()!;
        Assert.Equal("+442079460001", ann["phone"]!.GetValue<string>());
        var ben = (await api.Client.GetJsonAsync($"/api/leads?campaignId={campaign.Id()}&q=Ben"))["items"]!.AsArray().Single()!;
        Assert.Equal("web form", ben["consentMethod"]!.GetValue<string>());
    }

    [Fact]
    public async Task Async_import_returns_a_job_at_once_that_reaches_completed_with_progress()
    {
        var campaign = await api.Client.CreateCampaignAsync("Async");
        var csv = new StringBuilder("phone,name\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Phone(100_000 + i)},Lead {i}\n");
        }

        var response = await api.Client.ImportAsync(campaign.Id(), csv.ToString(), "?async=true");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        JsonNode import;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(100);
            import = (await api.Client.GetJsonAsync(location))["import"]!;
            var percent = import["percent"]?.GetValue<double>();
            Assert.True(percent is null or >= 0 and <= 100);
        }
        while (import["status"]!.GetValue<string>() == "running" && DateTime.UtcNow < deadline);

        Assert.Equal("completed", import["status"]!.GetValue<string>());
        Assert.Equal(20_000, import["rowsImported"]!.GetValue<int>());
        Assert.Equal(import["totalBytes"]!.GetValue<long>(), import["bytesRead"]!.GetValue<long>());
        var list = await api.Client.GetAsync($"/api/campaigns/{campaign.Id()}/imports");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task Unknown_format_missing_phone_column_and_unknown_campaign_are_rejected_whole()
    {
        var campaign = await api.Client.CreateCampaignAsync("Whole");
        var xml = await api.Client.ImportAsync(campaign.Id(), Encoding.UTF8.GetBytes("<leads/>"), "application/xml");
        var noPhone = await api.Client.ImportAsync(campaign.Id(), "name,email\nAda,ada@example.com\n");
        var empty = await api.Client.ImportAsync(campaign.Id(), "");
        var unknown = await api.Client.ImportAsync(Guid.NewGuid(), "phone\n2127010001\n");
        var unclosed = await api.Client.ImportAsync(campaign.Id(), "phone,name\n2127010001,\"never closed\n" + new string('x', 70 * 1024));

        await xml.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await noPhone.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("phone column", (await noPhone.ReadJsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        await unclosed.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/leads"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_runaway_quote_is_a_400_that_names_its_line_and_imports_nothing()
    {
        // The quote opened on line 3 never closes: every later row would be swallowed into one field, so the file
        // cannot be read past that point. Rows before it are valid, and still nothing may be half-imported.
        var campaign = await api.Client.CreateCampaignAsync("Runaway quote");
        var response = await api.Client.ImportAsync(campaign.Id(), "phone,name\n2127020001,Ada\n2127020002,\"Bob\n2127020003,Cy\n2127020004,Di\n");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("line 3", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("quote", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await api.Client.GetJsonAsync($"/api/campaigns/{campaign.Id()}/leads"))["items"]!.AsArray());
        var job = (await api.Client.GetJsonAsync($"/api/imports/{problem["importId"]!.GetValue<Guid>()}"))["import"]!;
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        Assert.Equal(0, job["rowsImported"]!.GetValue<int>());
    }

    internal static string Phone(int i) => string.Create(CultureInfo.InvariantCulture, $"(212) {201 + (i / 10_000)}-{i % 10_000:D4}");

    private static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));
}
