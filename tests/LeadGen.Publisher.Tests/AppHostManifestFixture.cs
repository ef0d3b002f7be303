using LeadGen.Testing;

namespace LeadGen.Publisher.Tests;

/// <summary>Generates our AppHost's real manifest once (<c>--publisher manifest</c>) for the tests that publish it.</summary>
public sealed class AppHostManifestFixture : IAsyncLifetime
{
    /// <summary>Our manifest's plain parameter <c>public-base-url</c> has no value: the publisher needs it on the command line.</summary>
    public const string PublicBaseUrlParameter = "public-base-url=https://voice.leadgen.example";

    public string ManifestPath { get; } = Path.Combine(PublisherRun.NewTempDirectory("apphost-manifest"), "aspire-manifest.json");

    public async ValueTask InitializeAsync() => await AspireManifest.GenerateAsync(ManifestPath);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
