using AzureFreeGcpManifests.Cli;
using AzureFreeGcpManifests.Manifest;
using AzureFreeGcpManifests.Model;

namespace AzureFreeGcpManifests.Publishing;

/// <summary>Reads the manifest, builds the model and writes the output folder (nothing is written if anything is wrong).</summary>
internal static class Publisher
{
    public static async Task<PublishResult> PublishAsync(PublisherOptions options, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.ManifestPath))
        {
            throw new PublishException($"manifest not found: {options.ManifestPath}");
        }

        var json = await File.ReadAllTextAsync(options.ManifestPath, cancellationToken);
        var manifestName = Path.GetFileName(options.ManifestPath);
        var resources = AspireManifestReader.Read(json, manifestName);
        var overlay = ServiceOverlay.Empty;
        if (options.OverlayPath is { } overlayPath)
        {
            if (!File.Exists(overlayPath))
            {
                throw new PublishException($"overlay not found: {overlayPath}");
            }

            overlay = ServiceOverlay.Parse(await File.ReadAllTextAsync(overlayPath, cancellationToken), Path.GetFileName(overlayPath));
        }

        var model = DeploymentModelBuilder.Build(resources, options, overlay);
        var context = new GcpPublishingContext(model, options.OutputDirectory, manifestName);
        var files = await context.WriteAsync(cancellationToken);
        var summary = await File.ReadAllTextAsync(Path.Combine(options.OutputDirectory, GcpPublishingContext.SummaryPath), cancellationToken);
        return new PublishResult(files, summary);
    }
}

internal sealed record PublishResult(IReadOnlyList<string> Files, string Summary);
