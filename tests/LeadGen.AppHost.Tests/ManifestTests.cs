using System.Text.Json.Nodes;
using LeadGen.Testing;

namespace LeadGen.AppHost.Tests;

public sealed class ManifestTests
{
    [Fact]
    public async Task Publish_manifest_describes_the_cloud_model_with_secret_parameters()
    {
        var path = Path.Combine(Path.GetTempPath(), "leadgen-tests", $"manifest-{Guid.NewGuid():N}.json");
        var manifest = await AspireManifest.GenerateAsync(path);
        var resources = manifest["resources"]!.AsObject();

        // Aspire 13 writes servers as containers (the publisher recognises them by image) and the database as a value.
        Assert.Equal("container.v0", Type(resources, "postgres"));
        Assert.Contains("postgres", resources["postgres"]!["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("container.v0", Type(resources, "cache"));
        Assert.Contains("redis", resources["cache"]!["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("{postgres.connectionString}", resources["leadgendb"]!["connectionString"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var project in new[] { "migrations", "voiceapi", "worker", "console" })
        {
            Assert.StartsWith("project.", Type(resources, project), StringComparison.Ordinal);
        }

        Assert.Equal("migrate", resources["migrations"]!["args"]!.AsArray().Single()!.GetValue<string>());
        foreach (var secret in new[] { "management-api-key", "gemini-api-key", "twilio-auth-token" })
        {
            Assert.Equal("parameter.v0", Type(resources, secret));
            Assert.True(resources[secret]!["inputs"]!["value"]!["secret"]!.GetValue<bool>(), $"{secret} must be marked secret");
        }

        // PublicBaseUrl: a plain (non-secret) parameter the publisher resolves, given to the voice API and the Worker's dialer.
        Assert.Equal("parameter.v0", Type(resources, "public-base-url"));
        Assert.False(resources["public-base-url"]!["inputs"]!["value"]!["secret"]?.GetValue<bool>() ?? false);
        foreach (var service in new[] { "voiceapi", "worker" })
        {
            Assert.Equal("{public-base-url.value}", resources[service]!["env"]!["PublicBaseUrl"]!.GetValue<string>());
        }

        // Publish mode never models local processes.
        Assert.DoesNotContain(resources, resource => resource.Value!["type"]!.GetValue<string>() == "executable.v0");
    }

    private static string Type(JsonObject resources, string name) =>
        resources[name]?["type"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"manifest has no resource '{name}'");
}
