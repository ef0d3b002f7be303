using System.CommandLine;
using LeadGen.Canary;
using LeadGen.Tools;

// Exit codes: 0 = done (check: healthy), 1 = check: a threshold was breached, 2 = usage, input or API error.
var serviceYaml = new Option<string>("--service-yaml") { Description = "The generated Cloud Run service YAML.", HelpName = "FILE", Required = true };
var revisionSuffix = new Option<string>("--revision-suffix") { Description = "Suffix of the new revision's name.", HelpName = "SUFFIX", Required = true };
var output = new Option<string>("--output") { Description = "Where to write the service YAML with the canary revision.", HelpName = "FILE", Required = true };
var current = new Option<string>("--current") { Description = "The service as `gcloud run services describe --format=json` prints it (empty or missing: first deployment).", HelpName = "DESCRIBE.json" };
var prepare = new Command("prepare", "Writes the service YAML with a named new revision that gets 0 % and the tag \"canary\"; the revisions serving now keep their traffic. Prints service=, canary_revision=, stable_revision= and first_deployment= lines.")
{
    serviceYaml, revisionSuffix, output, current,
};
prepare.SetAction((parsed, _) => Guarded(() => Task.FromResult(Prepare(parsed.GetRequiredValue(serviceYaml), parsed.GetValue(current), parsed.GetRequiredValue(revisionSuffix), parsed.GetRequiredValue(output)))));

var describe = new Option<string>("--current") { Description = "The service as `gcloud run services describe --format=json` prints it.", HelpName = "DESCRIBE.json", Required = true };
var tag = new Option<string>("--tag") { Description = "The traffic tag whose URL to print.", HelpName = "TAG", DefaultValueFactory = _ => CanaryManifest.CanaryTag };
var tagUrl = new Command("tag-url", "Prints the URL of a tagged revision (e.g. https://canary---voiceapi-xyz.a.run.app) for a smoke test.") { describe, tag };
tagUrl.SetAction((parsed, _) => Guarded(() => Task.FromResult(TagUrl(parsed.GetRequiredValue(describe), parsed.GetRequiredValue(tag)))));

var project = new Option<string>("--project") { Description = "Google Cloud project.", HelpName = "P", Required = true };
var service = new Option<string>("--service") { Description = "Cloud Run service.", HelpName = "S", Required = true };
var revision = new Option<string>("--revision") { Description = "The canary revision.", HelpName = "R", Required = true };
var windowSeconds = new Option<double>("--window-seconds") { Description = "How far back to read the metrics.", DefaultValueFactory = _ => 300, CustomParser = ToolCommandLine.NonNegativeNumber };
var maxErrorRate = new Option<double>("--max-error-rate") { Description = "Highest healthy share of 5xx answers.", DefaultValueFactory = _ => 0.05, CustomParser = ToolCommandLine.NonNegativeNumber };
var maxP99 = new Option<double>("--max-p99-ms") { Description = "Highest healthy p99 request latency (ms).", DefaultValueFactory = _ => 5000, CustomParser = ToolCommandLine.NonNegativeNumber };
var minRequests = new Option<double>("--min-requests") { Description = "Fewer requests than this in the window is a breach.", DefaultValueFactory = _ => 0, CustomParser = ToolCommandLine.NonNegativeNumber };
var endpoint = new Option<Uri>("--endpoint") { Description = "Cloud Monitoring API base URL.", HelpName = "URL", DefaultValueFactory = _ => new Uri(MonitoringClient.DefaultEndpoint), CustomParser = ToolCommandLine.HttpUrl };
var check = new Command("check", "Reads the revision's request count and p99 latency from Cloud Monitoring (bearer token in the environment variable GOOGLE_OAUTH_ACCESS_TOKEN). Exit 0 = healthy, 1 = breach, 2 = usage or API error.")
{
    project, service, revision, windowSeconds, maxErrorRate, maxP99, minRequests, endpoint,
};
check.SetAction((parsed, cancellationToken) => Guarded(() => CheckAsync(
    parsed.GetRequiredValue(project),
    new CanaryTarget(parsed.GetRequiredValue(service), parsed.GetRequiredValue(revision)),
    new CanaryThresholds(parsed.GetValue(maxErrorRate), parsed.GetValue(maxP99), parsed.GetValue(minRequests)),
    TimeSpan.FromSeconds(parsed.GetValue(windowSeconds)),
    parsed.GetRequiredValue(endpoint),
    cancellationToken)));

var root = new RootCommand("Canary rollout helper for deploy/canary-rollout.sh: pins traffic in the generated Cloud Run YAML and judges the canary revision from Cloud Monitoring.")
{
    prepare, tagUrl, check,
};
return await ToolCommandLine.InvokeAsync(root, args);

// Input the tool cannot use (unreadable files, bad YAML or JSON, an API that refuses) ends as one line and exit code 2.
static async Task<int> Guarded(Func<Task<int>> run)
{
    try
    {
        return await run();
    }
    catch (Exception ex) when (ex is UsageException or InvalidDataException or IOException or UnauthorizedAccessException or MonitoringException
                                   or YamlDotNet.Core.YamlException or System.Text.Json.JsonException or HttpRequestException)
    {
        return ToolCommandLine.Fail(ex.Message);
    }
}

static int Prepare(string serviceYamlPath, string? currentPath, string suffix, string outputPath)
{
    var serving = ServingTraffic.Read(currentPath);
    using var input = File.OpenText(serviceYamlPath);
    var temporary = outputPath + ".tmp";
    CanaryPlan plan;
    using (var writer = File.CreateText(temporary))
    {
        plan = CanaryManifest.Prepare(input, serving, suffix, writer);
    }

    File.Move(temporary, outputPath, overwrite: true); // never leave a half-written manifest behind
    Console.WriteLine($"service={plan.Service}");
    Console.WriteLine($"canary_revision={plan.CanaryRevision}");
    Console.WriteLine($"stable_revision={plan.StableRevision}");
    Console.WriteLine($"first_deployment={(plan.FirstDeployment ? "true" : "false")}");
    return 0;
}

static int TagUrl(string describePath, string tag)
{
    var url = ServingTraffic.TagUrl(describePath, tag)
              ?? throw new InvalidDataException($"no traffic target tagged '{tag}' with a URL in {describePath}");
    Console.WriteLine(url);
    return 0;
}

static async Task<int> CheckAsync(string project, CanaryTarget target, CanaryThresholds limits, TimeSpan window, Uri endpoint, CancellationToken cancellationToken)
{
    var token = Environment.GetEnvironmentVariable("GOOGLE_OAUTH_ACCESS_TOKEN");
    if (string.IsNullOrWhiteSpace(token))
    {
        throw new UsageException("GOOGLE_OAUTH_ACCESS_TOKEN is not set (e.g. export it from `gcloud auth print-access-token`)");
    }

    using var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
    var monitoring = new MonitoringClient(http, project, token);
    var end = TimeProvider.System.GetUtcNow();
    var start = end - window;
    var counts = await monitoring.RequestCountsAsync(target, start, end, cancellationToken);
    var latencies = await monitoring.LatencyP99Async(target, start, end, cancellationToken);
    var verdict = CanaryVerdict.Judge(counts, latencies, limits);
    Console.WriteLine($"canary {target.Revision} over {window.TotalSeconds:0} s: {verdict}");
    return verdict.Healthy ? 0 : 1;
}
