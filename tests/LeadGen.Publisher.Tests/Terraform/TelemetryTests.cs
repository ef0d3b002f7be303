using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzureFreeGcpManifests.Model;
using LeadGen.Testing;
using YamlDotNet.RepresentationModel;
using static LeadGen.Publisher.Tests.AppHostManifestTests;

namespace LeadGen.Publisher.Tests.Terraform;

/// <summary>
/// Telemetry out of Cloud Run (issue 16): the publisher gives each service the Google-Built OpenTelemetry Collector
/// sidecar, Terraform models the same containers, stores the collector config and grants the roles, and the alerts and
/// dashboard query the names the app's instruments really get in Cloud Monitoring.
/// </summary>
[Collection(AppHostManifestCollection.Name)]
public sealed partial class TelemetryTests(AppHostManifestFixture manifest)
{
    private static readonly string Root = Path.Combine(RepositoryPaths.Root, "infra", "terraform");
    private static readonly string[] Services = ["console", "voiceapi", "worker"];

    private async Task<SortedDictionary<string, string>> PublishAsync() =>
        await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter,
            "--environment", "production", "--registry", "us-central1-docker.pkg.dev/leadgen-prod-4711/leadgen");

    [Fact]
    public async Task Every_service_runs_the_collector_sidecar_and_exports_to_it_on_localhost()
    {
        var files = await PublishAsync();
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;

        foreach (var service in Services)
        {
            var yaml = Yaml(files[$"cloudrun/{service}.yaml"]);
            var spec = Node(yaml, "spec", "template", "spec");
            var containers = ((YamlSequenceNode)Node(spec, "containers")).Cast<YamlMappingNode>().ToList();
            Assert.Equal([service, TelemetrySidecar.ContainerName], containers.Select(container => Scalar(container, "name")));
            var collector = containers[1];
            Assert.Equal(TelemetrySidecar.DefaultImage, Scalar(collector, "image"));
            Assert.Equal("--config=/etc/otelcol-google/config.yaml", ((YamlScalarNode)((YamlSequenceNode)Node(collector, "args"))[0]).Value);
            Assert.Equal("13133", Scalar(collector, "startupProbe", "httpGet", "port"));
            Assert.Equal("/etc/otelcol-google", Scalar(((YamlSequenceNode)Node(collector, "volumeMounts"))[0], "mountPath"));
            var volume = ((YamlSequenceNode)Node(spec, "volumes"))[0];
            Assert.Equal("otel-collector-config", Scalar(volume, "secret", "secretName"));
            Assert.Equal("config.yaml", Scalar(((YamlSequenceNode)Node(volume, "secret", "items"))[0], "path"));
            Assert.Equal($$"""{"{{service}}":["otel-collector"]}""", Scalar(yaml, "spec", "template", "metadata", "annotations", "run.googleapis.com/container-dependencies"));
            // Only the app container serves traffic.
            Assert.False(collector.Children.ContainsKey(new YamlScalarNode("ports")));

            var env = Env(containers[0]);
            Assert.Equal("http://localhost:4317", env["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", env["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal(service, env["OTEL_SERVICE_NAME"]);
            Assert.Equal("none", env["OTEL_LOGS_EXPORTER"]); // logs leave as stdout JSON
            Assert.Equal("leadgen-prod-4711", env["GOOGLE_CLOUD_PROJECT"]);
            Assert.Equal(TelemetrySidecar.DefaultImage, tfvars["services"]![service]!["otel_collector_image"]!.GetValue<string>());
        }

        // A job runs to completion: no sidecar to wait for, no OTLP endpoint (its logs still reach Cloud Logging).
        var job = Yaml(files["cloudrun/migrations.job.yaml"]);
        var jobContainers = (YamlSequenceNode)Node(job, "spec", "template", "spec", "template", "spec", "containers");
        Assert.Single(jobContainers.Children);
        Assert.DoesNotContain("OTEL_EXPORTER_OTLP_ENDPOINT", Env((YamlMappingNode)jobContainers[0]).Keys);
    }

    [Fact]
    public async Task Without_the_option_no_sidecar_is_added()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, "--name-prefix", "leadgen", "--job", "migrations", "--parameter", AppHostManifestFixture.PublicBaseUrlParameter);

        Assert.DoesNotContain("otel-collector", files["cloudrun/voiceapi.yaml"], StringComparison.Ordinal);
        Assert.Equal(string.Empty, JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!["services"]!["voiceapi"]!["otel_collector_image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Terraform_models_the_same_sidecar_and_config_secret_as_the_publisher()
    {
        var parsed = await HclParser.ParseAsync([.. Directory.EnumerateFiles(Path.Combine(Root, "modules", "cloud_run"), "*.tf"), .. Directory.EnumerateFiles(Path.Combine(Root, "modules", "telemetry"), "*.tf")]);
        var cloudRun = TerraformDirectory.From(Path.Combine(Root, "modules", "cloud_run"), parsed);
        var telemetry = TerraformDirectory.From(Path.Combine(Root, "modules", "telemetry"), parsed);
        var collector = cloudRun.Locals.Single(locals => locals.TryGetProperty("collector", out _)).GetProperty("collector");

        Assert.Equal(TelemetrySidecar.ContainerName, collector.GetProperty("name").GetString());
        Assert.Equal(TelemetrySidecar.ConfigSecret, collector.GetProperty("config_secret").GetString());
        Assert.Equal(TelemetrySidecar.ConfigVolume, collector.GetProperty("config_volume").GetString());
        Assert.Equal(TelemetrySidecar.ConfigDirectory, collector.GetProperty("config_directory").GetString());
        Assert.Equal(TelemetrySidecar.HealthCheckPort, collector.GetProperty("health_check_port").GetInt32());
        Assert.Equal(TelemetrySidecar.ConfigSecret, telemetry.Variables["config_secret_id"].GetProperty("default").GetString());
        var main = await File.ReadAllTextAsync(Path.Combine(Root, "modules", "cloud_run", "main.tf"));
        Assert.Contains($"limits   = {{ cpu = \"{TelemetrySidecar.Cpu}\", memory = \"{TelemetrySidecar.Memory}\" }}", main, StringComparison.Ordinal);
        Assert.Contains($"args  = [\"--config=${{local.collector.config_directory}}/{TelemetrySidecar.ConfigFile}\"]", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Collector_config_sends_traces_to_cloud_trace_and_metrics_to_managed_prometheus()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "modules", "telemetry", "otel-collector.yaml"))));
        var config = (YamlMappingNode)stream.Documents[0].RootNode;

        // The app's OTEL_EXPORTER_OTLP_ENDPOINT and the sidecar's startup probe meet the collector here.
        Assert.Equal("localhost:4317", Scalar(config, "receivers", "otlp", "protocols", "grpc", "endpoint"));
        Assert.EndsWith($":{TelemetrySidecar.HealthCheckPort}", Scalar(config, "extensions", "health_check", "endpoint"), StringComparison.Ordinal);
        var pipelines = (YamlMappingNode)Node(config, "service", "pipelines");
        Assert.Equal(["metrics", "traces"], pipelines.Children.Keys.Select(key => ((YamlScalarNode)key).Value!).Order());
        Assert.Equal(["googlecloud"], Names(Node(pipelines, "traces", "exporters")));
        Assert.Equal(["googlemanagedprometheus"], Names(Node(pipelines, "metrics", "exporters")));
        foreach (var (kind, section) in new[] { ("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters") })
        {
            var defined = ((YamlMappingNode)Node(config, section)).Children.Keys.Select(key => ((YamlScalarNode)key).Value!).ToHashSet();
            foreach (var pipeline in pipelines.Children.Values)
            {
                Assert.All(Names(Node(pipeline, kind)), name => Assert.Contains(name, defined));
            }
        }
    }

    [Fact]
    public async Task Workloads_may_write_traces_metrics_and_logs_and_the_apis_are_on()
    {
        var parsed = await HclParser.ParseAsync([.. Directory.EnumerateFiles(Root, "*.tf"), .. Directory.EnumerateFiles(Path.Combine(Root, "modules", "security"), "*.tf")]);
        var security = TerraformDirectory.From(Path.Combine(Root, "modules", "security"), parsed);
        var root = TerraformDirectory.From(Root, parsed);
        var roles = security.Locals.Single(locals => locals.TryGetProperty("telemetry_roles", out _)).GetProperty("telemetry_roles").EnumerateArray().Select(role => role.GetString()).ToList();
        var apis = root.Locals.Single(locals => locals.TryGetProperty("required_apis", out _)).GetProperty("required_apis").EnumerateArray().Select(api => api.GetString()).ToList();

        Assert.Equal(["roles/cloudtrace.agent", "roles/logging.logWriter", "roles/monitoring.metricWriter"], roles.Order());
        Assert.Contains("cloudtrace.googleapis.com", apis);
        Assert.Contains("monitoring.googleapis.com", apis);
        Assert.Contains("logging.googleapis.com", apis);
        // Nothing broader than the workload needs (no project-wide secret access, no editor/owner).
        var securityText = await File.ReadAllTextAsync(Path.Combine(Root, "modules", "security", "main.tf"));
        foreach (var broad in new[] { "roles/editor", "roles/owner", "roles/secretmanager.secretAccessor", "roles/storage.admin" })
        {
            Assert.DoesNotContain(broad, securityText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Alerts_and_dashboard_query_the_names_the_instruments_get_in_cloud_monitoring()
    {
        var parsed = await HclParser.ParseAsync([.. Directory.EnumerateFiles(Path.Combine(Root, "modules", "monitoring"), "*.tf")]);
        var monitoring = TerraformDirectory.From(Path.Combine(Root, "modules", "monitoring"), parsed);
        var metrics = monitoring.Locals.Single(locals => locals.TryGetProperty("app_metrics", out _)).GetProperty("app_metrics");
        string Configured(string key) => metrics.GetProperty(key).GetString() switch
        {
            ['$', '{', 'v', 'a', 'r', '.', .. var rest] => monitoring.Variables[rest.TrimEnd('}')].GetProperty("default").GetString()!,
            var literal => literal!,
        };
        var declared = DeclaredInstruments();

        // gen_ai.client.token.usage comes from Microsoft.Extensions.AI's OpenTelemetry chat client (GenAI semantic
        // conventions: a histogram in {token}); tests/LeadGen.Agent.Tests/Gemini/TelemetryTests checks we emit it.
        Assert.Equal(PrometheusName("gen_ai.client.token.usage", "Histogram", "{token}") + "_sum", Configured("llm_tokens"));
        Assert.Equal("gen_ai_client_token_usage_sum", Configured("llm_tokens"));
        Assert.Equal(Expected("leadgen.call.active", declared), Configured("calls_active"));
        Assert.Equal(Expected("leadgen.call.ended", declared), Configured("calls_ended"));
        Assert.Equal(Expected("leadgen.conversation.ended", declared), Configured("conversations_ended"));
        Assert.Equal(Expected("leadgen.call.turn.latency", declared) + "_bucket", Configured("turn_latency_bucket"));
        // leadgen.call.cost is declared by the recordings/costs work (a histogram in USD); once it is in this tree the
        // declaration itself decides the name.
        (string Kind, string Unit) cost = declared.TryGetValue("leadgen.call.cost", out var costInstrument) ? costInstrument : ("Histogram", "USD");
        Assert.Equal(PrometheusName("leadgen.call.cost", cost.Kind, cost.Unit) + "_sum", Configured("call_cost"));

        var main = await File.ReadAllTextAsync(Path.Combine(Root, "modules", "monitoring", "main.tf"));
        foreach (var key in metrics.EnumerateObject().Select(property => property.Name))
        {
            Assert.Contains($"local.app_metrics.{key}", main, StringComparison.Ordinal);
        }

        var titles = monitoring.Locals.Single(locals => locals.TryGetProperty("dashboard_tiles", out _)).GetProperty("dashboard_tiles")
            .EnumerateArray().Select(tile => tile.GetProperty("title").GetString()!).ToList();
        foreach (var required in new[] { "Calls in progress", "Answer rate", "Qualification rate", "Turn latency", "LLM tokens per hour", "cost", "Error rate", "p99", "Instances", "Database CPU" })
        {
            Assert.Contains(titles, title => title.Contains(required, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// The googlemanagedprometheus exporter's conversion (Prometheus name normalization, on by default): name parts
    /// joined by '_', the unit appended unless it is an {annotation} (ms → milliseconds, s → seconds, By → bytes), and
    /// monotonic counters end in _total; up-down counters become gauges without it.
    /// </summary>
    private static string PrometheusName(string name, string kind, string unit)
    {
        var parts = NonAlphanumeric().Split(name).Where(part => part.Length > 0).ToList();
        var mainUnit = Annotation().Replace(unit, string.Empty).Split('/')[0] switch
        {
            "ms" => "milliseconds",
            "s" => "seconds",
            "By" => "bytes",
            "1" => string.Empty,
            var other => other,
        };
        if (mainUnit.Length > 0 && !parts.Contains(mainUnit))
        {
            parts.Add(mainUnit);
        }

        if (kind == "Counter")
        {
            parts.Add("total");
        }

        return string.Join('_', parts);
    }

    private static string Expected(string name, Dictionary<string, (string Kind, string Unit)> declared)
    {
        Assert.True(declared.TryGetValue(name, out var instrument), $"{name} is not declared in LeadGen.Core");
        return PrometheusName(name, instrument.Kind, instrument.Unit);
    }

    /// <summary>Instruments created in LeadGen.Core: name → (Counter | UpDownCounter | Histogram | ..., unit).</summary>
    private static Dictionary<string, (string Kind, string Unit)> DeclaredInstruments()
    {
        var found = new Dictionary<string, (string Kind, string Unit)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "LeadGen.Core"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in InstrumentDeclaration().Matches(File.ReadAllText(file)))
            {
                found[match.Groups["name"].Value] = (match.Groups["kind"].Value, match.Groups["unit"].Value);
            }
        }

        return found;
    }

    private static Dictionary<string, string> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)Node(container, "env")).Cast<YamlMappingNode>()
            .Where(entry => entry.Children.ContainsKey(new YamlScalarNode("value")))
            .ToDictionary(entry => Scalar(entry, "name"), entry => Scalar(entry, "value"));

    private static List<string> Names(YamlNode sequence) => ((YamlSequenceNode)sequence).Select(node => ((YamlScalarNode)node).Value!).ToList();

    [GeneratedRegex("Create(?<kind>Counter|UpDownCounter|Histogram|Gauge)<[^>]+>\\(\\s*\"(?<name>[a-z0-9_.]+)\"\\s*,\\s*(?:unit:\\s*)?\"(?<unit>[^\"]*)\"")]
    private static partial Regex InstrumentDeclaration();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex Annotation();
}
