using System.Text.Json.Nodes;
using static LeadGen.Publisher.Tests.AppHostManifestTests;

namespace LeadGen.Publisher.Tests;

/// <summary><c>--overlay FILE</c>: per-environment, per-service overrides of the built-in profile.</summary>
public sealed class OverlayTests
{
    [Fact]
    public async Task Overrides_apply_to_the_named_environment_and_service_only()
    {
        var overlay = await WriteOverlayAsync("""
            { "production": { "storefront": { "concurrency": 40, "memory": "2Gi", "minInstances": 3 } } }
            """);
        string[] common = ["--project-number", "1", "--name-prefix", "shop", "--overlay", overlay];

        var production = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("aspire8-typed-resources.json"), [.. common, "--environment", "production"]);
        var staging = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("aspire8-typed-resources.json"), [.. common, "--environment", "staging"]);

        var storefront = Yaml(production["cloudrun/storefront.yaml"]);
        Assert.Equal("40", Scalar(storefront, "spec", "template", "spec", "containerConcurrency"));
        Assert.Equal("3", Scalar(storefront, "spec", "template", "metadata", "annotations", "autoscaling.knative.dev/minScale"));
        var tfvars = JsonNode.Parse(production["terraform/services.auto.tfvars.json"])!;
        Assert.Equal("2Gi", tfvars["services"]!["storefront"]!["memory"]!.GetValue<string>());
        Assert.Equal(80, tfvars["services"]!["catalog"]!["concurrency"]!.GetValue<int>());
        var stagingTfvars = JsonNode.Parse(staging["terraform/services.auto.tfvars.json"])!;
        Assert.Equal("512Mi", stagingTfvars["services"]!["storefront"]!["memory"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ "production": { "nosuch": { "concurrency": 10 } } }""", "error: overlay: 'nosuch' is not a Cloud Run service or job of this manifest")]
    [InlineData("""{ "production": { "catalog": { "concurency": 10 } } }""", "error: overlay.json: not a valid overlay")]
    [InlineData("""{ "prod": { } }""", "error: overlay.json: unknown environment(s) 'prod'")]
    [InlineData("""{ "production": { "catalog": { "minInstances": 9, "maxInstances": 3 } } }""", "error: 'catalog': instances must satisfy 0 <= min (9) <= max (3)")]
    [InlineData("""{ "production": { "catalog": { "timeoutSeconds": 7200 } } }""", "error: 'catalog': timeout must be 1-3600 seconds (got 7200)")]
    public async Task Mistakes_in_the_overlay_are_errors(string overlayJson, string expected)
    {
        var overlay = await WriteOverlayAsync(overlayJson);
        var output = Path.Combine(PublisherRun.NewTempDirectory("overlay"), "out");

        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync(
            "--manifest", PublisherRun.ManifestPath("aspire8-typed-resources.json"), "--output", output,
            "--environment", "production", "--project-number", "1", "--name-prefix", "shop", "--overlay", overlay);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    private static async Task<string> WriteOverlayAsync(string json)
    {
        var path = Path.Combine(PublisherRun.NewTempDirectory("overlay-file"), "overlay.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }
}
