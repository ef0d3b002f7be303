using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.AppHost;

/// <summary>The Postgres database and Redis cache as the services see them, whichever way they are provided.</summary>
internal sealed record LeadGenDataStores(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IReadOnlyList<IResourceBuilder<IResource>> DatabaseReadiness,
    IReadOnlyList<IResourceBuilder<IResource>> CacheReadiness);

internal static class DataStoreExtensions
{
    public const string LocalDataPathSetting = "LocalDataPath";

    /// <summary>
    /// Publish mode: always the real model (<c>AddPostgres</c>/<c>AddRedis</c>), so the manifest describes the cloud.
    /// Run mode: containers when a runtime answers, otherwise the Debian binaries as executable resources.
    /// Either way the services get the connection strings <c>leadgendb</c> and <c>cache</c>.
    /// </summary>
    public static LeadGenDataStores AddLeadGenDataStores(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode
            || LocalInfrastructureDetector.Resolve(builder.Configuration) == LocalInfrastructureMode.Containers)
        {
            return builder.AddContainerDataStores();
        }

        return builder.AddProcessDataStores();
    }

    /// <summary>References the database (and cache) and waits until they are ready.</summary>
    public static IResourceBuilder<ProjectResource> WithDataStores(
        this IResourceBuilder<ProjectResource> project, LeadGenDataStores data, bool includeCache = true)
    {
        project.WithReference(data.Database);
        foreach (var dependency in data.DatabaseReadiness)
        {
            project.WaitFor(dependency);
        }

        if (includeCache)
        {
            project.WithReference(data.Cache);
            foreach (var dependency in data.CacheReadiness)
            {
                project.WaitFor(dependency);
            }
        }

        return project;
    }

    private static LeadGenDataStores AddContainerDataStores(this IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(ResourceNames.Postgres);
        var redis = builder.AddRedis(ResourceNames.Cache);
        if (builder.ExecutionContext.IsRunMode)
        {
            postgres.WithDataVolume("leadgen-postgres-data");
            redis.WithDataVolume("leadgen-redis-data");
        }

        var database = postgres.AddDatabase(ResourceNames.Database);
        return new LeadGenDataStores(
            builder.CreateResourceBuilder<IResourceWithConnectionString>(database.Resource),
            builder.CreateResourceBuilder<IResourceWithConnectionString>(redis.Resource),
            [builder.CreateResourceBuilder<IResource>(database.Resource)],
            [builder.CreateResourceBuilder<IResource>(redis.Resource)]);
    }

    private static LeadGenDataStores AddProcessDataStores(this IDistributedApplicationBuilder builder)
    {
        var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var dataRoot = Path.GetFullPath(builder.Configuration[LocalDataPathSetting] ?? Path.Combine(repositoryRoot, ".localdata"));
        var scripts = Path.Combine(repositoryRoot, "scripts");
        var localSecrets = new LocalSecretStore(Path.Combine(dataRoot, "secrets"), builder.Configuration);

        var postgresPassword = builder.AddParameter("postgres-password", localSecrets.GetOrCreate("postgres-password"), secret: true);
        var postgres = builder.AddExecutable(ResourceNames.Postgres, "bash", repositoryRoot,
                Path.Combine(scripts, "local-postgres.sh"), Path.Combine(dataRoot, "postgres"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT")
            .WithEnvironment("LEADGEN_PG_PASSWORD", postgresPassword);
        var postgresEndpoint = postgres.GetEndpoint("tcp");
        var database = builder.AddConnectionString(ResourceNames.Database, ReferenceExpression.Create(
            $"Host={postgresEndpoint.Property(EndpointProperty.Host)};Port={postgresEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={postgresPassword};Database={ResourceNames.Database}"));
        var serverConnection = ReferenceExpression.Create(
            $"Host={postgresEndpoint.Property(EndpointProperty.Host)};Port={postgresEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={postgresPassword};Database=postgres;Timeout=3");
        var postgresCheck = $"{ResourceNames.Postgres}-ready";
        builder.Services.AddHealthChecks().Add(new(postgresCheck, _ => new PostgresReadyCheck(serverConnection), null, null));
        postgres.WithHealthCheck(postgresCheck);

        var redisPassword = builder.AddParameter("redis-password", localSecrets.GetOrCreate("redis-password"), secret: true);
        var redis = builder.AddExecutable("redis", "bash", repositoryRoot,
                Path.Combine(scripts, "local-redis.sh"), Path.Combine(dataRoot, "redis"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "REDIS_PORT")
            .WithEnvironment("LEADGEN_REDIS_PASSWORD", redisPassword);
        var redisEndpoint = redis.GetEndpoint("tcp");
        var cache = builder.AddConnectionString(ResourceNames.Cache, ReferenceExpression.Create(
            $"{redisEndpoint.Property(EndpointProperty.Host)}:{redisEndpoint.Property(EndpointProperty.Port)},password={redisPassword}"));
        var redisCheck = "redis-ready";
        builder.Services.AddHealthChecks().Add(new(redisCheck, _ => new RedisReadyCheck(cache.Resource.ConnectionStringExpression), null, null));
        redis.WithHealthCheck(redisCheck);

        return new LeadGenDataStores(
            builder.CreateResourceBuilder<IResourceWithConnectionString>(database.Resource),
            builder.CreateResourceBuilder<IResourceWithConnectionString>(cache.Resource),
            [builder.CreateResourceBuilder<IResource>(postgres.Resource)],
            [builder.CreateResourceBuilder<IResource>(redis.Resource)]);
    }
}
