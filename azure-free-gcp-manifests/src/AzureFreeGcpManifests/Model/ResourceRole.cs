namespace AzureFreeGcpManifests.Model;

/// <summary>What a manifest resource becomes on Google Cloud.</summary>
internal enum ResourceRole
{
    /// <summary>A Cloud Run service (projects, containers that are not data stores, Dockerfiles).</summary>
    Service,

    /// <summary>A Cloud Run job run before rollout (a workload named by <c>--job</c>, e.g. database migrations).</summary>
    Job,

    /// <summary>The Cloud SQL for PostgreSQL instance.</summary>
    PostgresServer,

    /// <summary>A database on the Cloud SQL instance.</summary>
    PostgresDatabase,

    /// <summary>The Memorystore instance (Redis or Valkey images).</summary>
    Redis,

    /// <summary>A Secret Manager secret the operator fills in.</summary>
    SecretParameter,

    /// <summary>A secret parameter that is a data store's password: Terraform generates it and stores it.</summary>
    ManagedPassword,

    /// <summary>A plain configuration value.</summary>
    PlainParameter,

    /// <summary>A value or annotated string only used inside other expressions.</summary>
    Value,

    /// <summary>Not supported and skipped because <c>--skip-unsupported</c> was given.</summary>
    Skipped,
}
