using AzureFreeGcpManifests.CloudRun;
using AzureFreeGcpManifests.Model;
using AzureFreeGcpManifests.Terraform;

namespace AzureFreeGcpManifests.Publishing;

/// <summary>
/// Renders every output file of a <see cref="DeploymentModel"/> in memory, then writes them all. Files this publisher
/// wrote before that no longer belong to the model (a removed service) are deleted, so the folder is always one run's output.
/// </summary>
internal sealed class GcpPublishingContext(DeploymentModel model, string outputDirectory, string manifestName)
{
    public const string CloudRunFolder = "cloudrun";
    public const string TerraformInputsPath = "terraform/services.auto.tfvars.json";
    public const string SummaryPath = "summary.md";

    /// <summary>Relative path (with '/') → content, in a stable order.</summary>
    public SortedDictionary<string, string> Render()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in model.Services)
        {
            files[$"{CloudRunFolder}/{service.Name}.yaml"] = YamlWriter.Serialize(CloudRunNodeFactory.CreateService(service, model));
        }

        foreach (var job in model.Jobs)
        {
            files[$"{CloudRunFolder}/{job.Name}.job.yaml"] = YamlWriter.Serialize(CloudRunNodeFactory.CreateJob(job, model));
        }

        files[TerraformInputsPath] = TerraformInputs.From(model).ToJson();
        files[SummaryPath] = SummaryWriter.Write(model, manifestName);
        return files;
    }

    public async Task<IReadOnlyList<string>> WriteAsync(CancellationToken cancellationToken)
    {
        var files = Render();
        var root = Path.GetFullPath(outputDirectory);
        var cloudRunDirectory = Path.Combine(root, CloudRunFolder);
        if (Directory.Exists(cloudRunDirectory))
        {
            foreach (var stale in Directory.EnumerateFiles(cloudRunDirectory, "*.yaml"))
            {
                if (!files.ContainsKey($"{CloudRunFolder}/{Path.GetFileName(stale)}"))
                {
                    File.Delete(stale);
                }
            }
        }

        foreach (var (relativePath, content) in files)
        {
            var path = Path.Combine(root, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, content, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return [.. files.Keys];
    }
}
