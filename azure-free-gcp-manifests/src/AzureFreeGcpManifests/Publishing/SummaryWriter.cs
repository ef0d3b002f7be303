using System.Text;
using AzureFreeGcpManifests.Model;

namespace AzureFreeGcpManifests.Publishing;

/// <summary><c>summary.md</c> (also printed): each manifest resource and its GCP target, the secrets, and notes.</summary>
internal static class SummaryWriter
{
    public static string Write(DeploymentModel model, string manifestName)
    {
        var text = new StringBuilder();
        text.Append("# GCP deployment summary (").Append(model.Profile.Name).Append(")\n\n");
        text.Append("Manifest `").Append(manifestName).Append("`, project `").Append(model.Options.ProjectId)
            .Append("`, region `").Append(model.Options.Region).Append("`, images `").Append(model.Options.Registry)
            .Append("/*:").Append(model.Options.Tag).Append("`.\n\n");
        text.Append("| Resource | Aspire type | GCP target |\n| --- | --- | --- |\n");
        foreach (var row in model.Summary)
        {
            text.Append("| ").Append(row.Resource).Append(" | ").Append(row.Type).Append(" | ").Append(row.Target).Append(" |\n");
        }

        text.Append("\n## Cloud Run\n\n| Workload | Ingress | Instances | CPU / memory | Timeout | Service account |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var workload in model.Services.Concat(model.Jobs))
        {
            var settings = workload.Settings;
            var instances = model.Jobs.Contains(workload) ? "job" : $"{settings.MinInstances}-{settings.MaxInstances}";
            text.Append("| ").Append(workload.Name).Append(" | ").Append(settings.Ingress).Append(" | ").Append(instances)
                .Append(" | ").Append(settings.Cpu).Append(" / ").Append(settings.Memory).Append(" | ").Append(settings.TimeoutSeconds)
                .Append(" s | ").Append(workload.ServiceAccountEmail).Append(" |\n");
        }

        text.Append("\n## Secret Manager\n\n| Secret | Value comes from | Read by |\n| --- | --- | --- |\n");
        foreach (var secret in model.Secrets)
        {
            var source = secret.Source switch
            {
                SecretSource.Manual => "operator (`gcloud secrets versions add`)",
                SecretSource.DatabasePassword => "Terraform (generated Cloud SQL password)",
                SecretSource.RedisAuth => "Terraform (Memorystore AUTH string)",
                _ => $"Terraform (composed: {secret.Origin})",
            };
            text.Append("| ").Append(secret.Name).Append(" | ").Append(source).Append(" | ")
                .Append(secret.UsedBy.Count == 0 ? "-" : string.Join(", ", secret.UsedBy)).Append(" |\n");
        }

        if (model.Notes.Count > 0)
        {
            text.Append("\n## Notes\n\n");
            foreach (var note in model.Notes)
            {
                text.Append("- ").Append(note).Append('\n');
            }
        }

        return text.ToString();
    }
}
