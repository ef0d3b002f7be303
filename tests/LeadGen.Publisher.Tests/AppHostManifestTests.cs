using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace LeadGen.Publisher.Tests;

/// <summary>The publisher on LeadGen's own manifest, generated from the AppHost during the test run.</summary>
[Collection(AppHostManifestCollection.Name)]
public sealed class AppHostManifestTests(AppHostManifestFixture manifest)
{
    private const string Registry = "us-central1-docker.pkg.dev/leadgen-prod-4711/leadgen";

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    public async Task Output_matches_the_snapshot(string environment)
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", environment,
            "--registry", $"us-central1-docker.pkg.dev/leadgen-{environment}/leadgen", "--tag", "1.2.3");

        // Every byte is compared: image names, env order, secret names and the summary are part of the contract.
        Snapshot.Match($"leadgen-{environment}", files);
    }

    [Fact]
    public async Task Writes_a_service_per_project_and_the_migrations_job()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production", "--registry", Registry);

        Assert.Equal(
            ["cloudrun/console.yaml", "cloudrun/migrations.job.yaml", "cloudrun/voiceapi.yaml", "cloudrun/worker.yaml", "summary.md", "terraform/services.auto.tfvars.json"],
            files.Keys);
    }

    [Fact]
    public async Task Voice_api_is_public_websocket_ready_and_probed()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production", "--registry", Registry, "--tag", "abc");
        var service = Yaml(files["cloudrun/voiceapi.yaml"]);

        Assert.Equal("serving.knative.dev/v1", Scalar(service, "apiVersion"));
        Assert.Equal("Service", Scalar(service, "kind"));
        Assert.Equal("all", Scalar(service, "metadata", "annotations", "run.googleapis.com/ingress"));
        var annotations = Node(service, "spec", "template", "metadata", "annotations");
        Assert.Equal("true", Scalar(annotations, "run.googleapis.com/sessionAffinity"));
        Assert.Equal("2", Scalar(annotations, "autoscaling.knative.dev/minScale"));
        Assert.Equal("all-traffic", Scalar(annotations, "run.googleapis.com/vpc-access-egress"));
        Assert.Equal("""[{"network":"leadgen-vpc","subnetwork":"leadgen-app"}]""", Scalar(annotations, "run.googleapis.com/network-interfaces"));
        var spec = Node(service, "spec", "template", "spec");
        Assert.Equal("3600", Scalar(spec, "timeoutSeconds"));
        Assert.Equal("leadgen-voiceapi@leadgen-prod-4711.iam.gserviceaccount.com", Scalar(spec, "serviceAccountName"));
        var container = ((YamlSequenceNode)Node(spec, "containers"))[0];
        Assert.Equal($"{Registry}/leadgen-voiceapi:abc", Scalar(container, "image"));
        Assert.Equal("8080", Scalar(((YamlSequenceNode)Node(container, "ports"))[0], "containerPort"));
        Assert.Equal("/health", Scalar(container, "startupProbe", "httpGet", "path"));
        Assert.Equal("/alive", Scalar(container, "livenessProbe", "httpGet", "path"));
    }

    [Fact]
    public async Task Worker_is_internal_with_cpu_always_allocated_and_scales_per_environment()
    {
        var production = Yaml((await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production"))["cloudrun/worker.yaml"]);
        var staging = Yaml((await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "staging"))["cloudrun/worker.yaml"]);

        Assert.Equal("internal", Scalar(production, "metadata", "annotations", "run.googleapis.com/ingress"));
        Assert.Equal("false", Scalar(production, "spec", "template", "metadata", "annotations", "run.googleapis.com/cpu-throttling"));
        Assert.Equal("2", Scalar(production, "spec", "template", "metadata", "annotations", "autoscaling.knative.dev/minScale"));
        // Staging keeps one worker: a request-less worker at zero instances would never run its queue consumers.
        Assert.Equal("1", Scalar(staging, "spec", "template", "metadata", "annotations", "autoscaling.knative.dev/minScale"));
    }

    [Fact]
    public async Task Staging_scales_public_services_to_zero()
    {
        var staging = Yaml((await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "staging"))["cloudrun/voiceapi.yaml"]);

        Assert.Equal("0", Scalar(staging, "spec", "template", "metadata", "annotations", "autoscaling.knative.dev/minScale"));
    }

    [Fact]
    public async Task Every_placeholder_is_resolved_and_data_store_settings_come_from_secret_manager()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production");

        foreach (var (path, content) in files.Where(file => file.Key.StartsWith("cloudrun/", StringComparison.Ordinal)))
        {
            var container = path.EndsWith(".job.yaml", StringComparison.Ordinal)
                ? ((YamlSequenceNode)Node(Yaml(content), "spec", "template", "spec", "template", "spec", "containers"))[0]
                : ((YamlSequenceNode)Node(Yaml(content), "spec", "template", "spec", "containers"))[0];
            foreach (var variable in ((YamlSequenceNode)Node(container, "env")).Cast<YamlMappingNode>())
            {
                var name = Scalar(variable, "name");
                if (variable.Children.ContainsKey("value"))
                {
                    var value = Scalar(variable, "value");
                    Assert.DoesNotContain("{", value, StringComparison.Ordinal);
                    Assert.False(name.Contains("PASSWORD", StringComparison.Ordinal) || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal),
                        $"{path}: {name} must come from Secret Manager");
                }
                else
                {
                    Assert.Equal("latest", Scalar(variable, "valueFrom", "secretKeyRef", "key"));
                }
            }
        }

        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;
        Assert.Equal(
            "Host={{database.host}};Port={{database.port}};Username=postgres;Password={{database.password}};Database=leadgendb",
            tfvars["secrets"]!["leadgendb-connection-string"]!["template"]!.GetValue<string>());
        Assert.Equal("{{redis.host}}:{{redis.port}},password={{redis.password}}{{redis.tls_suffix}}",
            tfvars["secrets"]!["cache-connection-string"]!["template"]!.GetValue<string>());
        foreach (var secret in new[]
        {
            "management-api-key", "gemini-api-key", "twilio-auth-token", "twilio-account-sid", "twilio-api-key-sid", "twilio-api-key-secret",
            "stream-token-key", "console-oidc-client-id", "console-oidc-client-secret", "console-role-list",
        })
        {
            Assert.Equal("manual", tfvars["secrets"]![secret]!["source"]!.GetValue<string>());
        }

        Assert.Equal("database_password", tfvars["secrets"]!["postgres-password"]!["source"]!.GetValue<string>());
        Assert.Equal("redis_auth", tfvars["secrets"]!["cache-password"]!["source"]!.GetValue<string>());
        Assert.Equal(["leadgendb"], tfvars["postgres"]!["databases"]!.AsArray().Select(node => node!.GetValue<string>()));
        Assert.Equal("POSTGRES_18", tfvars["postgres"]!["database_version"]!.GetValue<string>());
        // Only the console, which serves /api, receives the management key.
        Assert.Equal(["console"], tfvars["secrets"]!["management-api-key"]!["accessors"]!.AsArray().Select(node => node!.GetValue<string>()));

        // Every Redis client gets Memorystore's server CA (Terraform fills the secret from server_ca_certs).
        Assert.Equal("{{redis.ca_certificate}}", tfvars["secrets"]!["redis-ca-certificate"]!["template"]!.GetValue<string>());
        Assert.Equal(["console", "voiceapi", "worker"], tfvars["secrets"]!["redis-ca-certificate"]!["accessors"]!.AsArray().Select(node => node!.GetValue<string>()).Order());
        foreach (var service in new[] { "voiceapi", "worker" })
        {
            var yaml = files[$"cloudrun/{service}.yaml"];
            Assert.Contains("name: Redis__CaCertificate", yaml, StringComparison.Ordinal);
            Assert.Contains("name: PublicBaseUrl", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Public_base_url_comes_from_the_parameter_and_is_required()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production");
        foreach (var service in new[] { "voiceapi", "worker" })
        {
            Assert.Matches(@"- name: PublicBaseUrl\s+value: https://voice\.leadgen\.example\s", files[$"cloudrun/{service}.yaml"]);
        }

        var problems = await PublisherRun.ProblemsAsync(manifest.ManifestPath, PublisherRun.NewTempDirectory("no-public-url"), PublisherRun.LeadGenConventions);
        Assert.Contains(problems, problem => problem.Contains("public-base-url", StringComparison.Ordinal) && problem.Contains("--parameter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrations_job_runs_the_worker_image_with_migrate()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--registry", Registry, "--tag", "7");
        var job = Yaml(files["cloudrun/migrations.job.yaml"]);

        Assert.Equal("run.googleapis.com/v1", Scalar(job, "apiVersion"));
        Assert.Equal("Job", Scalar(job, "kind"));
        var container = ((YamlSequenceNode)Node(job, "spec", "template", "spec", "template", "spec", "containers"))[0];
        Assert.Equal($"{Registry}/leadgen-worker:7", Scalar(container, "image"));
        Assert.Equal("migrate", ((YamlScalarNode)((YamlSequenceNode)Node(container, "args"))[0]).Value);
    }

    [Fact]
    public async Task Command_line_publishes_with_exit_code_zero_and_prints_the_summary()
    {
        var output = PublisherRun.NewTempDirectory("cli");

        var (exitCode, stdout, stderr) = await PublisherRun.RunCommandAsync(
            "--manifest", manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--output", output, "--environment", "production", "--registry", Registry, "--tag", "sha-1");

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("| postgres | container.v0 (docker.io/library/postgres:", stdout, StringComparison.Ordinal);
        Assert.Contains("Cloud SQL for PostgreSQL", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "cloudrun", "voiceapi.yaml")));
        Assert.Equal(File.ReadAllText(Path.Combine(output, "summary.md")).TrimEnd(), stdout[..stdout.IndexOf("wrote ", StringComparison.Ordinal)].TrimEnd());
    }

    [Fact]
    public async Task Publishing_twice_gives_identical_output_and_removes_stale_files()
    {
        var output = PublisherRun.NewTempDirectory("twice");
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(output, "cloudrun")).FullName, "removed-service.yaml"), "old");

        Assert.Empty(await PublisherRun.ProblemsAsync(manifest.ManifestPath, output, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter));
        var first = PublisherRun.ReadTree(output);
        Assert.Empty(await PublisherRun.ProblemsAsync(manifest.ManifestPath, output, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter));

        Assert.Equal(first, PublisherRun.ReadTree(output));
        Assert.DoesNotContain("cloudrun/removed-service.yaml", first.Keys);
    }

    internal static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    internal static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    internal static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;
}
