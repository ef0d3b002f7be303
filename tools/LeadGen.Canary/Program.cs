using LeadGen.Canary;

const string usage = """
    usage:
      LeadGen.Canary prepare --service-yaml FILE --revision-suffix SUFFIX --output FILE [--current DESCRIBE.json]
          Writes the service YAML with a named new revision that gets 0 % and the tag "canary"; the revisions serving
          now (from `gcloud run services describe --format=json`) keep their traffic. Prints service=, canary_revision=,
          stable_revision= and first_deployment= lines.
      LeadGen.Canary tag-url --current DESCRIBE.json [--tag canary]
          Prints the URL of a tagged revision (e.g. https://canary---voiceapi-xyz.a.run.app) for a smoke test.
      LeadGen.Canary check --project P --service S --revision R [--window-seconds 300] [--max-error-rate 0.05]
                           [--max-p99-ms 5000] [--min-requests 0] [--endpoint URL]
          Reads the revision's request count and p99 latency from Cloud Monitoring (bearer token in the environment
          variable GOOGLE_OAUTH_ACCESS_TOKEN). Exit 0 = healthy, 1 = breach, 2 = usage or API error.
    """;

try
{
    if (args.Length == 0)
    {
        throw new UsageException("a command is required (prepare or check)");
    }

    var line = CommandLine.Parse(args[1..]);
    return args[0] switch
    {
        "prepare" => await PrepareAsync(line),
        "check" => await CheckAsync(line),
        "tag-url" => TagUrl(line),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"canary: {ex.Message}\n{usage}");
    return 2;
}
catch (Exception ex) when (ex is InvalidDataException or IOException or MonitoringException or YamlDotNet.Core.YamlException or System.Text.Json.JsonException or HttpRequestException)
{
    await Console.Error.WriteLineAsync($"canary: {ex.Message}");
    return 2;
}

static async Task<int> PrepareAsync(CommandLine line)
{
    var serving = ServingTraffic.Read(line.Optional("current"));
    using var input = File.OpenText(line.Required("service-yaml"));
    var outputPath = line.Required("output");
    var temporary = outputPath + ".tmp";
    CanaryPlan plan;
    await using (var output = File.CreateText(temporary))
    {
        plan = CanaryManifest.Prepare(input, serving, line.Required("revision-suffix"), output);
    }

    File.Move(temporary, outputPath, overwrite: true); // never leave a half-written manifest behind
    Console.WriteLine($"service={plan.Service}");
    Console.WriteLine($"canary_revision={plan.CanaryRevision}");
    Console.WriteLine($"stable_revision={plan.StableRevision}");
    Console.WriteLine($"first_deployment={(plan.FirstDeployment ? "true" : "false")}");
    return 0;
}

static int TagUrl(CommandLine line)
{
    var tag = line.Optional("tag") ?? CanaryManifest.CanaryTag;
    var url = ServingTraffic.TagUrl(line.Required("current"), tag)
              ?? throw new InvalidDataException($"no traffic target tagged '{tag}' with a URL in {line.Required("current")}");
    Console.WriteLine(url);
    return 0;
}

static async Task<int> CheckAsync(CommandLine line)
{
    var token = Environment.GetEnvironmentVariable("GOOGLE_OAUTH_ACCESS_TOKEN");
    if (string.IsNullOrWhiteSpace(token))
    {
        throw new UsageException("GOOGLE_OAUTH_ACCESS_TOKEN is not set (e.g. export it from `gcloud auth print-access-token`)");
    }

    var target = new CanaryTarget(line.Required("service"), line.Required("revision"));
    var limits = new CanaryThresholds(line.Number("max-error-rate", 0.05), line.Number("max-p99-ms", 5000), line.Number("min-requests", 0));
    var window = TimeSpan.FromSeconds(line.Number("window-seconds", 300));
    var endpoint = new Uri(line.Optional("endpoint") ?? MonitoringClient.DefaultEndpoint);
    using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
    var monitoring = new MonitoringClient(http, line.Required("project"), token);

    var end = TimeProvider.System.GetUtcNow();
    var start = end - window;
    var counts = await monitoring.RequestCountsAsync(target, start, end, CancellationToken.None);
    var latencies = await monitoring.LatencyP99Async(target, start, end, CancellationToken.None);
    var verdict = CanaryVerdict.Judge(counts, latencies, limits);
    Console.WriteLine($"canary {target.Revision} over {window.TotalSeconds:0} s: {verdict}");
    return verdict.Healthy ? 0 : 1;
}
