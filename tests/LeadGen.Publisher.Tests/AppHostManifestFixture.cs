using LeadGen.Testing;

namespace LeadGen.Publisher.Tests;

/// <summary>Generates our AppHost's real manifest once (<c>--publisher manifest</c>) for the tests that publish it.</summary>
public sealed class AppHostManifestFixture : IAsyncLifetime
{
    public string ManifestPath { get; } = Path.Combine(PublisherRun.NewTempDirectory("apphost-manifest"), "aspire-manifest.json");

    public async Task InitializeAsync() => await AspireManifest.GenerateAsync(ManifestPath);

    public Task DisposeAsync() => Task.CompletedTask;
}
