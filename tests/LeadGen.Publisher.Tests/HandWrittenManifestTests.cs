using System.Text.Json.Nodes;
using static LeadGen.Publisher.Tests.AppHostManifestTests;

namespace LeadGen.Publisher.Tests;

/// <summary>Manifests of other shapes: Aspire 8 typed resources, containers/Dockerfiles/Valkey, a bare project.</summary>
public sealed class HandWrittenManifestTests
{
    [Fact]
    public async Task Aspire8_typed_resources_match_the_snapshot()
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("aspire8-typed-resources.json"),
            "--environment", "production", "--project", "shop-prod", "--region", "europe-west1", "--project-number", "123456789012", "--name-prefix", "shop");

        Snapshot.Match("aspire8-typed-resources", files);
        OtherAppTests.AssertNoLeadGenNames(files);
    }

    [Fact]
    public async Task Aspire8_typed_resources_map_to_cloud_sql_memorystore_and_service_urls()
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("aspire8-typed-resources.json"),
            "--project", "shop-prod", "--region", "europe-west1", "--project-number", "123456789012", "--name-prefix", "shop");
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;

        Assert.Equal("POSTGRES_16", tfvars["postgres"]!["database_version"]!.GetValue<string>());
        Assert.Equal(["orders"], tfvars["postgres"]!["databases"]!.AsArray().Select(node => node!.GetValue<string>()));
        Assert.True(tfvars["redis"]!["enabled"]!.GetValue<bool>());
        var storefront = tfvars["services"]!["storefront"]!;
        Assert.Equal("https://catalog-123456789012.europe-west1.run.app", storefront["env"]!["services__catalog__http__0"]!.GetValue<string>());
        Assert.Null(storefront["env"]!["PORT"]); // Cloud Run reserves PORT
        Assert.Equal("checkout-v2", tfvars["services"]!["catalog"]!["env"]!["Features"]!.GetValue<string>());
        Assert.Equal("stripe-key", tfvars["services"]!["catalog"]!["secret_env"]!["Stripe__ApiKey"]!.GetValue<string>());
        Assert.False(tfvars["services"]!["catalog"]!["public"]!.GetValue<bool>());
        // A plain container keeps its own image and port.
        var docs = Yaml(files["cloudrun/docs.yaml"]);
        var container = ((YamlDotNet.RepresentationModel.YamlSequenceNode)Node(docs, "spec", "template", "spec", "containers"))[0];
        Assert.Equal("docker.io/library/nginx:1.27", Scalar(container, "image"));
        Assert.Equal("80", Scalar(((YamlDotNet.RepresentationModel.YamlSequenceNode)Node(container, "ports"))[0], "containerPort"));
    }

    [Fact]
    public async Task Containers_dockerfiles_and_valkey_match_the_snapshot()
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("containers-and-dockerfiles.json"),
            "--environment", "staging", "--registry", "europe-west4-docker.pkg.dev/edge-stage/apps", "--tag", "2024.10.1", "--name-prefix", "edge");

        Snapshot.Match("containers-and-dockerfiles", files);
        OtherAppTests.AssertNoLeadGenNames(files);
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;
        Assert.False(tfvars["postgres"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("europe-west4-docker.pkg.dev/edge-stage/apps/api:2024.10.1", tfvars["services"]!["api"]!["image"]!.GetValue<string>());
        Assert.Equal("redis://:{{redis.password_uri}}@{{redis.host}}:{{redis.port}}",
            tfvars["secrets"]!["redis-url"]!["template"]!.GetValue<string>());
        Assert.Contains("valkey", files["summary.md"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_project_needs_no_data_stores_and_keeps_escaped_braces()
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("minimal-project.json"), "--name-prefix", "hello");
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;

        OtherAppTests.AssertNoLeadGenNames(files);

        Assert.Equal("hello {world}", tfvars["services"]!["hello"]!["env"]!["Greeting"]!.GetValue<string>());
        Assert.Empty(tfvars["secrets"]!.AsObject());
        Assert.Empty(tfvars["jobs"]!.AsObject());
        Assert.Equal("us-central1-docker.pkg.dev/hello-staging/hello/hello:latest", tfvars["services"]!["hello"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resource_order_in_the_manifest_does_not_change_the_output()
    {
        var original = PublisherRun.ManifestPath("aspire8-typed-resources.json");
        var document = JsonNode.Parse(await File.ReadAllTextAsync(original))!.AsObject();
        var reversed = new JsonObject();
        foreach (var (name, resource) in document["resources"]!.AsObject().Reverse().ToList())
        {
            reversed[name] = resource!.DeepClone();
        }

        var reorderedPath = Path.Combine(PublisherRun.NewTempDirectory("reordered"), "aspire8-typed-resources.json");
        await File.WriteAllTextAsync(reorderedPath, new JsonObject { ["resources"] = reversed }.ToJsonString());
        string[] options = ["--project", "shop-prod", "--project-number", "1", "--name-prefix", "shop"];

        Assert.Equal(await PublisherRun.PublishAsync(original, options), await PublisherRun.PublishAsync(reorderedPath, options));
    }
}
