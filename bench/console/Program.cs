using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LeadGen.Testing;
using LeadGen.Tools;
using Npgsql;

// Ours: the pages on a database with 1M leads (one big campaign and a few small ones) and 200k calls (today and the
// last days). Baseline: the same pages on a second console (same build, same machine, running alongside) over an empty database.
// Each request is a full server render of the page for a signed-in viewer (the page's queries run during prerender).
// The overview's lead funnel is recounted at most once a minute (OverviewQuery.FunnelMaxAge), so its p95 is the
// fresh part of the page; the first render (which counts the funnel) is printed separately.
var quickOption = new Option<bool>("--quick") { Description = "100,000 leads, 20,000 calls, 30 requests per page." };
var leadsOption = new Option<int?>("--leads") { Description = "Leads seeded (default 1,000,000).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var callsOption = new Option<int?>("--calls") { Description = "Calls seeded (default 200,000).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var requestsOption = new Option<int?>("--requests") { Description = "Requests per page (default 100).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var command = new RootCommand("Console benchmark: the console's pages over 1M leads and 200k calls vs the same pages over an empty database.")
{
    quickOption, leadsOption, callsOption, requestsOption,
};
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var quick = parsed.GetValue(quickOption);
var leadCount = parsed.GetValue(leadsOption) ?? (quick ? 100_000 : 1_000_000);
var callCount = parsed.GetValue(callsOption) ?? (quick ? 20_000 : 200_000);
var requests = parsed.GetValue(requestsOption) ?? (quick ? 30 : 100);

System.Console.WriteLine($"console bench: {leadCount:N0} leads, {callCount:N0} calls, {requests} requests per page; starting PostgreSQL and Redis");
await using var postgres = await LocalPostgres.StartAsync();
await using var redis = await LocalRedis.StartAsync();
var empty = await postgres.CreateMigratedDatabaseAsync("bench_console_empty");
var full = await postgres.CreateMigratedDatabaseAsync("bench_console_full");
var emptyCampaign = await SeedAsync(empty, 0, 0);
var seedTimer = Stopwatch.StartNew();
var fullCampaign = await SeedAsync(full, leadCount, callCount);
System.Console.WriteLine($"seeded in {seedTimer.Elapsed.TotalSeconds:F0} s");

string[] pages = ["", "campaigns", "leads?campaign={campaign}"];
// Both consoles run side by side and requests alternate between them, so both see the same machine load.
await using var emptyConsole = await ConsoleProcess.StartAsync(empty, redis.ConnectionString);
await using var fullConsole = await ConsoleProcess.StartAsync(full, redis.ConnectionString);
using var emptyClient = await emptyConsole.SignedInClientAsync();
using var fullClient = await fullConsole.SignedInClientAsync();
// The first overview render counts the lead funnel (then reused for a minute): shown on its own, with JIT included.
var firstOverviewFull = await GetAsync(fullClient, "");
var firstOverviewEmpty = await GetAsync(emptyClient, "");
System.Console.WriteLine($"first overview render (JIT + funnel count): {firstOverviewFull:F0} ms at scale, {firstOverviewEmpty:F0} ms empty");
var baseline = new Dictionary<string, double>();
var ours = new Dictionary<string, double>();
foreach (var page in pages)
{
    var emptyUrl = page.Replace("{campaign}", emptyCampaign.ToString(), StringComparison.Ordinal);
    var fullUrl = page.Replace("{campaign}", fullCampaign.ToString(), StringComparison.Ordinal);
    for (var i = 0; i < 10; i++)
    {
        await GetAsync(emptyClient, emptyUrl); // warm-up: JIT, plan caches
        await GetAsync(fullClient, fullUrl);
    }

    var emptyTimes = new List<double>();
    var fullTimes = new List<double>();
    for (var i = 0; i < requests; i++)
    {
        emptyTimes.Add(await GetAsync(emptyClient, emptyUrl));
        fullTimes.Add(await GetAsync(fullClient, fullUrl));
    }

    baseline[page] = P95(emptyTimes);
    ours[page] = P95(fullTimes);
}

foreach (var page in pages)
{
    System.Console.WriteLine($"/{page,-28} p95 {ours[page]:F1} ms at scale, {baseline[page]:F1} ms empty");
}

// The RESULT line is the slowest page at scale against the same page on the empty database.
var worst = pages.MaxBy(page => ours[page])!;
System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT console ours={ours[worst]:F1} baseline={baseline[worst]:F1} unit=ms ratio={ours[worst] / baseline[worst]:F2} page=/{worst.Split('?')[0]} overview_p95_ms={ours[pages[0]]:F1} campaigns_p95_ms={ours[pages[1]]:F1} leads_p95_ms={ours[pages[2]]:F1} overview_first_ms={firstOverviewFull:F0} leads={leadCount} calls={callCount} requests={requests}"));
return 0;

static double P95(List<double> times)
{
    times.Sort();
    return times[(int)Math.Ceiling(0.95 * times.Count) - 1];
}

static async Task<double> GetAsync(HttpClient client, string url)
{
    var stopwatch = Stopwatch.StartNew();
    using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
    var body = await response.Content.ReadAsStringAsync();
    stopwatch.Stop();
    if (response.StatusCode != HttpStatusCode.OK || !body.Contains("<h1", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"GET /{url} answered {(int)response.StatusCode}");
    }

    return stopwatch.Elapsed.TotalMilliseconds;
}

// Rows written by SQL (generate_series), shaped like real ones: statuses spread, calls over the last 3 days.
static async Task<Guid> SeedAsync(string connectionString, int leads, int calls)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    var campaign = Guid.CreateVersion7();
    await using var command = new NpgsqlCommand("""
        INSERT INTO campaigns (id, name, status) VALUES (@campaign, 'Bench campaign', 'running');
        INSERT INTO campaigns (id, name, status) SELECT gen_random_uuid(), 'Small ' || n, 'draft' FROM generate_series(1, 20) n;
        INSERT INTO leads (id, campaign_id, name, phone, company, status, attempts, created_at, updated_at)
        SELECT gen_random_uuid(), @campaign, 'Lead ' || n, '+1415' || lpad(n::text, 7, '0'), 'Company ' || (n % 5000),
               (ARRAY['new','queued','qualified','disqualified','callback','unreachable'])[1 + n % 6], n % 4, now(), now()
          FROM generate_series(1, @leads) n;
        INSERT INTO calls (id, lead_id, campaign_id, direction, provider, status, answered_by, created_at, answered_at,
                           duration_seconds, disposition, input_tokens, output_tokens)
        SELECT gen_random_uuid(), l.id, @campaign, 'outbound', 'simulator',
               (ARRAY['completed','no_answer','busy','completed'])[1 + n % 4],
               CASE WHEN n % 4 IN (0, 3) THEN 'human' END,
               now() - make_interval(secs => (n * 1.3)::int % 259200),
               CASE WHEN n % 4 IN (0, 3) THEN now() - make_interval(secs => (n * 1.3)::int % 259200) END,
               n % 300, (ARRAY['qualified','no_answer','busy','disqualified'])[1 + n % 4], 900, 300
          FROM generate_series(1, @calls) n
          JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM leads WHERE campaign_id = @campaign) l
            ON l.rn = 1 + (n % greatest(@leads, 1));
        ANALYZE;
        """, connection);
    command.CommandTimeout = 0;
    command.Parameters.AddWithValue("campaign", campaign);
    command.Parameters.AddWithValue("leads", leads);
    command.Parameters.AddWithValue("calls", calls);
    await command.ExecuteNonQueryAsync();
    return campaign;
}

/// <summary>The Release console as its own process in Development (for the development sign-in) on 127.0.0.1.</summary>
internal sealed partial class ConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ConsoleProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<ConsoleProcess> StartAsync(string database, string cache)
    {
        var project = Path.Combine(RepositoryPaths.Root, "LeadGen.Console");
        var baseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", "Release", "--no-launch-profile", "--project", project])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__leadgendb"] = database;
        start.Environment["ConnectionStrings__cache"] = cache;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = baseUrl };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                using var alive = await probe.GetAsync(new Uri("alive", UriKind.Relative));
                if (alive.IsSuccessStatusCode)
                {
                    return new ConsoleProcess(process, baseUrl);
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The console did not start.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>A client signed in as a viewer through the development sign-in form (cookie kept).</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseUrl };
        var form = await client.GetStringAsync(new Uri("signin", UriKind.Relative));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var response = await client.PostAsync(new Uri("signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "development-sign-in",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Form.Role"] = "viewer",
        }));
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
        {
            throw new InvalidOperationException($"Development sign-in answered {(int)response.StatusCode}.");
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
