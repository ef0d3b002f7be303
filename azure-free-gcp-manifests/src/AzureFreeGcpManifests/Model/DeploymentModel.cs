using AzureFreeGcpManifests.Cli;

namespace AzureFreeGcpManifests.Model;

/// <summary>Everything the publisher writes, decided once; the writers only serialise it.</summary>
internal sealed record DeploymentModel(
    PublisherOptions Options,
    EnvironmentProfile Profile,
    IReadOnlyList<Workload> Services,
    IReadOnlyList<Workload> Jobs,
    IReadOnlyList<SecretDefinition> Secrets,
    PostgresTarget? Postgres,
    RedisTarget? Redis,
    IReadOnlyList<SummaryRow> Summary,
    IReadOnlyList<string> Notes)
{
    public string NetworkName => $"{Options.NamePrefix}-vpc";

    public string AppSubnetName => $"{Options.NamePrefix}-app";
}

/// <summary>A Cloud Run service or job.</summary>
internal sealed record Workload(
    string Name,
    string SourceType,
    string Image,
    string ImageName,
    IReadOnlyList<string> Args,
    int Port,
    bool HasHealthProbes,
    bool IsPublic,
    WorkloadSettings Settings,
    string ServiceAccountId,
    string ServiceAccountEmail,
    IReadOnlyList<EnvironmentEntry> Environment,
    TelemetrySidecar? Telemetry = null);

/// <summary>An environment variable: a literal value or a Secret Manager reference, never both.</summary>
internal sealed record EnvironmentEntry(string Name, string? Value, string? SecretName);

/// <summary>How a Secret Manager secret gets its value.</summary>
internal enum SecretSource
{
    /// <summary>The operator adds versions (<c>gcloud secrets versions add</c>).</summary>
    Manual,

    /// <summary>Terraform generates the Cloud SQL user's password.</summary>
    DatabasePassword,

    /// <summary>Terraform copies Memorystore's AUTH string.</summary>
    RedisAuth,

    /// <summary>Terraform fills the template's <c>{{tokens}}</c> (addresses, passwords) and stores the result.</summary>
    Composed,
}

internal sealed record SecretDefinition(string Name, SecretSource Source, string Template, string Origin, IReadOnlyList<string> UsedBy);

internal sealed record PostgresTarget(string ResourceName, string Image, string DatabaseVersion, string User, IReadOnlyList<string> Databases);

internal sealed record RedisTarget(string ResourceName, string Image, string RedisVersion);

/// <summary>One line of the summary: a manifest resource and what it became.</summary>
internal sealed record SummaryRow(string Resource, string Type, string Target);
