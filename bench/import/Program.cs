using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;
using LeadGen.Testing;
using LeadGen.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

// Ours: the CSV bytes go through LeadImporter exactly as an upload does (read, validate, normalise to E.164 with
// libphonenumber, derive time zones, dedupe, binary COPY into a staging table, merge into leads with the do-not-call
// join, job bookkeeping) — in-process, so the HTTP transfer of the file is not counted.
// Baseline: the same rows, already normalised as our import stores them, written by one raw binary COPY straight into
// leads. Both start from an empty leads table, so both pay the same index maintenance.
var quickOption = new Option<bool>("--quick") { Description = "One measured round instead of three." };
var rowsOption = new Option<int>("--rows") { Description = "Leads per import.", DefaultValueFactory = _ => 100_000, CustomParser = ToolCommandLine.PositiveInt };
var roundsOption = new Option<int?>("--rounds") { Description = "Measured rounds (default 3, or 1 with --quick).", CustomParser = result => ToolCommandLine.PositiveInt(result) };
var command = new RootCommand("Import benchmark: our lead import vs raw binary COPY of the same rows.") { quickOption, rowsOption, roundsOption };
var (parsed, exitCode) = ToolCommandLine.Parse(command, args);
if (parsed is null)
{
    return exitCode;
}

var quick = parsed.GetValue(quickOption);
var rows = parsed.GetValue(rowsOption);
var rounds = parsed.GetValue(roundsOption) ?? (quick ? 1 : 3);
var clock = TimeProvider.System;

Console.WriteLine($"import bench: {rows:N0} rows, {rounds} round(s) each; starting PostgreSQL");
await using var postgres = await LocalPostgres.StartAsync();
var connectionString = await postgres.CreateMigratedDatabaseAsync("bench");
await using var dataSource = NpgsqlDataSource.Create(connectionString);
var options = Options.Create(new LeadOptions { DefaultRegion = "US", ImportMaxBytes = long.MaxValue });
var normalizer = new PhoneNumberNormalizer(options);
var parser = new LeadRowParser(normalizer);
var jobs = new ImportJobStore(dataSource, clock);
await using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
var importer = new LeadImporter(dataSource, jobs, parser, options, clock, new ImportTelemetry(meters.GetRequiredService<IMeterFactory>()), NullLogger<LeadImporter>.Instance);
var campaigns = new CampaignStore(dataSource, clock);

var csv = GenerateCsv(rows);
Console.WriteLine($"generated {csv.Length / 1024.0 / 1024.0:F1} MiB of CSV");
var normalised = await NormaliseAsync(csv);
var parseTimer = Stopwatch.StartNew();
await NormaliseAsync(csv);
parseTimer.Stop();
Console.WriteLine($"read + validate + normalise alone (no database, warm): {parseTimer.Elapsed.TotalSeconds:F2} s ({rows / parseTimer.Elapsed.TotalSeconds:N0} rows/s)");

// Warm-up (JIT, libphonenumber metadata, plan caches) on a small slice; not measured.
await RunOursAsync(GenerateCsv(2_000));
await RunBaselineAsync(normalised.Take(2_000).ToList());

var oursRates = new List<double>();
var baselineRates = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    var baseline = await RunBaselineAsync(normalised);
    var ours = await RunOursAsync(csv);
    baselineRates.Add(rows / baseline.TotalSeconds);
    oursRates.Add(rows / ours.TotalSeconds);
    Console.WriteLine($"round {round}: ours {ours.TotalSeconds:F2} s ({rows / ours.TotalSeconds:N0} rows/s), raw COPY {baseline.TotalSeconds:F2} s ({rows / baseline.TotalSeconds:N0} rows/s)");
}

var oursMedian = Median(oursRates);
var baselineMedian = Median(baselineRates);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT import ours={oursMedian:F0} baseline={baselineMedian:F0} unit=rows/s ratio={oursMedian / baselineMedian:F3} rows={rows} rounds={rounds} load1={LoadAverage()}"));
return 0;

async Task<TimeSpan> RunOursAsync(byte[] file)
{
    await ResetAsync();
    var campaign = await campaigns.CreateAsync("bench", new CampaignSettings(), CancellationToken.None);
    var stopwatch = Stopwatch.StartNew();
    var job = await jobs.CreateAsync(campaign.Id, ImportFormats.Csv, atomic: false, file.Length, CancellationToken.None);
    job = await importer.RunAsync(job, new MemoryStream(file, writable: false), CancellationToken.None);
    stopwatch.Stop();
    if (job.Status != ImportJobStatuses.Completed || job.RowsImported != CountRows(file))
    {
        throw new InvalidOperationException($"Import did not import every row: {job.Status}, {job.RowsImported} imported, {job.RowsRejected} rejected, {job.RowsDuplicate} duplicate.");
    }

    return stopwatch.Elapsed;
}

async Task<TimeSpan> RunBaselineAsync(IReadOnlyList<NewLead> leads)
{
    await ResetAsync();
    var campaign = await campaigns.CreateAsync("bench", new CampaignSettings(), CancellationToken.None);
    var stopwatch = Stopwatch.StartNew();
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var now = clock.GetUtcNow();
    await using (var copy = await connection.BeginBinaryImportAsync("""
        COPY leads (id, campaign_id, name, phone, email, company, role, time_zone, source, consent_given_at, consent_method, status, created_at, updated_at)
        FROM STDIN (FORMAT BINARY)
        """))
    {
        // Synchronous writes: the fastest way to feed Npgsql's COPY (no per-value async machinery), so the floor is strict.
        foreach (var lead in leads)
        {
            copy.StartRow();
            copy.Write(Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
            copy.Write(campaign.Id, NpgsqlDbType.Uuid);
            Write(copy, lead.Name);
            copy.Write(lead.Phone, NpgsqlDbType.Text);
            Write(copy, lead.Email);
            Write(copy, lead.Company);
            Write(copy, lead.Role);
            Write(copy, lead.TimeZone);
            Write(copy, lead.Source);
            copy.WriteNull();
            Write(copy, lead.ConsentMethod);
            copy.Write("new", NpgsqlDbType.Text);
            copy.Write(now, NpgsqlDbType.TimestampTz);
            copy.Write(now, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }

    await transaction.CommitAsync();
    stopwatch.Stop();
    return stopwatch.Elapsed;
}

async Task ResetAsync()
{
    await using var command = dataSource.CreateCommand("TRUNCATE leads, import_row_errors, import_jobs, campaigns CASCADE; CHECKPOINT;");
    await command.ExecuteNonQueryAsync();
}

// The rows exactly as our import stores them, produced once up front (not timed) by the same parser.
async Task<IReadOnlyList<NewLead>> NormaliseAsync(byte[] file)
{
    var reader = new CsvLeadReader(new MemoryStream(file));
    var record = new LeadRecord();
    var leads = new List<NewLead>();
    while (await reader.ReadAsync(record, CancellationToken.None))
    {
        leads.Add(parser.Parse(record, reader) ?? throw new InvalidOperationException($"Generated row {record.Row} is invalid: {record.Errors[0].Reason}"));
    }

    return leads;
}

static void Write(NpgsqlBinaryImporter copy, string? value)
{
    if (value is null)
    {
        copy.WriteNull();
    }
    else
    {
        copy.Write(value, NpgsqlDbType.Text);
    }
}

static int CountRows(byte[] file) => file.Count(b => b == (byte)'\n') - 1;

// Realistic variety: several phone formats and area codes, quoted companies with commas, e-mails, titles.
static byte[] GenerateCsv(int count)
{
    string[] areaCodes = ["212", "415", "312", "617", "206", "303", "512", "404", "702", "919"];
    string[] titles = ["CTO", "Head of Sales", "Owner", "VP Marketing", "Operations Manager"];
    var random = new Random(42);
    var text = new StringBuilder("First Name,Last Name,Phone Number,Email,Company,Title,Source\n");
    for (var i = 0; i < count; i++)
    {
        var area = areaCodes[i % areaCodes.Length];
        var exchange = 200 + (i / 10_000 % 800);
        var line = i % 10_000;
        var phone = (i % 4) switch
        {
            0 => $"({area}) {exchange}-{line:D4}",
            1 => $"+1 {area} {exchange} {line:D4}",
            2 => $"{area}-{exchange}-{line:D4}",
            _ => $"1{area}{exchange}{line:D4}",
        };
        var company = random.Next(5) == 0 ? $"\"Company {i}, Inc.\"" : $"Company {i}";
        text.Append(CultureInfo.InvariantCulture, $"First{i},Last{i},{phone},first{i}.last{i}@company{i}.example,{company},{titles[i % titles.Length]},bench\n");
    }

    return Encoding.UTF8.GetBytes(text.ToString());
}

// The machine is shared; the 1-minute load average tells a reader how noisy this run was.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
