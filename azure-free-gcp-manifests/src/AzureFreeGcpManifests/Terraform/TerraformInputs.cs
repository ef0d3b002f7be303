using System.Text.Json;
using System.Text.Json.Serialization;
using AzureFreeGcpManifests.Model;

namespace AzureFreeGcpManifests.Terraform;

/// <summary>
/// <c>terraform/services.auto.tfvars.json</c>: the variables of infra/terraform's root that come from the app model.
/// The shapes mirror the root's <c>variables.tf</c> types (a test checks them against each other).
/// </summary>
internal sealed record TerraformInputs(
    string NamePrefix,
    SortedDictionary<string, ServiceInput> Services,
    SortedDictionary<string, JobInput> Jobs,
    SortedDictionary<string, SecretInput> Secrets,
    PostgresInput Postgres,
    RedisInput Redis)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TerraformInputs From(DeploymentModel model) => new(
        model.Options.NamePrefix,
        new(model.Services.ToDictionary(service => service.Name, ServiceInput.From), StringComparer.Ordinal),
        new(model.Jobs.ToDictionary(job => job.Name, JobInput.From), StringComparer.Ordinal),
        new(model.Secrets.ToDictionary(secret => secret.Name, SecretInput.From), StringComparer.Ordinal),
        new PostgresInput(model.Postgres is not null, model.Postgres?.DatabaseVersion ?? "POSTGRES_17", model.Postgres?.User ?? "postgres",
            [.. model.Postgres?.Databases ?? []]),
        new RedisInput(model.Redis is not null, model.Redis?.RedisVersion ?? "REDIS_7_2"));

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions).ReplaceLineEndings("\n") + "\n";

    internal static SortedDictionary<string, string> LiteralEnv(Workload workload) => new(
        workload.Environment.Where(entry => entry.SecretName is null).ToDictionary(entry => entry.Name, entry => entry.Value ?? string.Empty),
        StringComparer.Ordinal);

    internal static SortedDictionary<string, string> SecretEnv(Workload workload) => new(
        workload.Environment.Where(entry => entry.SecretName is not null).ToDictionary(entry => entry.Name, entry => entry.SecretName!),
        StringComparer.Ordinal);
}

internal sealed record ServiceInput(
    string Image,
    int Port,
    bool Public,
    string Ingress,
    int MinInstances,
    int MaxInstances,
    int Concurrency,
    string Cpu,
    string Memory,
    bool CpuAlwaysAllocated,
    bool SessionAffinity,
    int TimeoutSeconds,
    bool HealthProbes,
    string ServiceAccountId,
    SortedDictionary<string, string> Env,
    SortedDictionary<string, string> SecretEnv,
    string OtelCollectorImage)
{
    /// <param name="service">Its <c>otel_collector_image</c> is empty without the sidecar; Terraform models the same containers as the YAML.</param>
    public static ServiceInput From(Workload service) => new(
        service.Image, service.Port, service.IsPublic, service.Settings.Ingress, service.Settings.MinInstances, service.Settings.MaxInstances,
        service.Settings.Concurrency, service.Settings.Cpu, service.Settings.Memory, service.Settings.CpuAlwaysAllocated,
        service.Settings.SessionAffinity, service.Settings.TimeoutSeconds, service.HasHealthProbes, service.ServiceAccountId,
        TerraformInputs.LiteralEnv(service), TerraformInputs.SecretEnv(service), service.Telemetry?.Image ?? string.Empty);
}

internal sealed record JobInput(
    string Image,
    IReadOnlyList<string> Args,
    string Cpu,
    string Memory,
    int TimeoutSeconds,
    int MaxRetries,
    string ServiceAccountId,
    SortedDictionary<string, string> Env,
    SortedDictionary<string, string> SecretEnv)
{
    public static JobInput From(Workload job) => new(
        job.Image, job.Args, job.Settings.Cpu, job.Settings.Memory, job.Settings.TimeoutSeconds, EnvironmentProfile.JobMaxRetries,
        job.ServiceAccountId, TerraformInputs.LiteralEnv(job), TerraformInputs.SecretEnv(job));
}

/// <summary><c>source</c>: manual | database_password | redis_auth | composed; <c>template</c> only for composed.</summary>
internal sealed record SecretInput(string Source, string Template, IReadOnlyList<string> Accessors)
{
    public static SecretInput From(SecretDefinition secret) => new(
        secret.Source switch
        {
            SecretSource.Manual => "manual",
            SecretSource.DatabasePassword => "database_password",
            SecretSource.RedisAuth => "redis_auth",
            _ => "composed",
        },
        secret.Template,
        secret.UsedBy);
}

internal sealed record PostgresInput(bool Enabled, string DatabaseVersion, string User, IReadOnlyList<string> Databases);

internal sealed record RedisInput(bool Enabled, [property: JsonPropertyName("redis_version")] string RedisVersion);
