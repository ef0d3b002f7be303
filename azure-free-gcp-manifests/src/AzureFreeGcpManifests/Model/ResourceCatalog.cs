using System.Text.RegularExpressions;
using AzureFreeGcpManifests.Manifest;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Classifies every manifest resource (<see cref="ResourceRole"/>). Aspire 13 writes Postgres and Redis as plain
/// <c>container.v0</c> resources, so data stores are recognised by image; the older <c>postgres.server.v0</c>,
/// <c>postgres.database.v0</c> and <c>redis.server.v0</c> types are accepted too. A manifest cannot say that a workload
/// is a one-shot job, so the command line names them (<c>--job</c>).
/// </summary>
internal sealed partial class ResourceCatalog
{
    private readonly Dictionary<string, ManifestResource> resources;
    private readonly Dictionary<string, ResourceRole> roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> databaseNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> passwordOwners = new(StringComparer.Ordinal);

    public ResourceCatalog(IReadOnlyList<ManifestResource> manifestResources, bool skipUnsupported, IReadOnlySet<string> jobs, List<string> problems)
    {
        resources = manifestResources.ToDictionary(resource => resource.Name, StringComparer.Ordinal);
        foreach (var resource in manifestResources)
        {
            var role = Classify(resource);
            if (jobs.Contains(resource.Name) && role == ResourceRole.Service)
            {
                role = ResourceRole.Job;
            }

            if (role is null)
            {
                if (skipUnsupported)
                {
                    roles[resource.Name] = ResourceRole.Skipped;
                }
                else
                {
                    problems.Add($"resource '{resource.Name}': unsupported type '{resource.Type}' (no Cloud Run/GCP mapping; pass --skip-unsupported to leave it out)");
                }

                continue;
            }

            roles[resource.Name] = role.Value;
        }

        foreach (var job in jobs.Where(job => RoleOf(job) != ResourceRole.Job))
        {
            problems.Add(resources.TryGetValue(job, out var resource)
                ? $"--job {job}: '{job}' ({resource.Type}) is not a project, container or Dockerfile workload; only those run as Cloud Run jobs"
                : $"--job {job}: the manifest has no resource named '{job}'");
        }

        ClassifyDatabaseValues();
        ClassifyManagedPasswords();
        RequireAtMostOne(ResourceRole.PostgresServer, "PostgreSQL server", "Cloud SQL instance", problems);
        RequireAtMostOne(ResourceRole.Redis, "Redis/Valkey server", "Memorystore instance", problems);
        foreach (var (database, server) in DatabaseParents())
        {
            if (RoleOf(server) != ResourceRole.PostgresServer)
            {
                problems.Add($"resource '{database}': parent '{server}' is not a PostgreSQL server in this manifest");
            }
        }
    }

    public IEnumerable<ManifestResource> All => resources.Values.OrderBy(resource => resource.Name, StringComparer.Ordinal);

    public ManifestResource? Find(string name) => resources.GetValueOrDefault(name);

    public ResourceRole? RoleOf(string name) => roles.TryGetValue(name, out var role) ? role : null;

    public IEnumerable<ManifestResource> WithRole(ResourceRole role) => All.Where(resource => RoleOf(resource.Name) == role);

    public ManifestResource? PostgresServer => WithRole(ResourceRole.PostgresServer).FirstOrDefault();

    public ManifestResource? RedisServer => WithRole(ResourceRole.Redis).FirstOrDefault();

    /// <summary>Database name on Cloud SQL for a <see cref="ResourceRole.PostgresDatabase"/> resource.</summary>
    public string DatabaseName(string resourceName) => databaseNames[resourceName];

    /// <summary>"database" or "redis" for a <see cref="ResourceRole.ManagedPassword"/> parameter.</summary>
    public string PasswordOwner(string parameterName) => passwordOwners[parameterName];

    public static bool IsRedisImage(string? image) => ImageRepository(image) is { } repository
        && (repository.StartsWith("redis", StringComparison.Ordinal) || repository.StartsWith("valkey", StringComparison.Ordinal));

    public static bool IsPostgresImage(string? image) => ImageRepository(image) is { } repository
        && (repository.StartsWith("postgres", StringComparison.Ordinal) || repository is "pgvector" or "postgis");

    /// <summary>The last path segment of an image reference without tag or digest: <c>docker.io/library/redis:8.6</c> → <c>redis</c>.</summary>
    public static string? ImageRepository(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        var withoutDigest = image.Split('@')[0];
        var lastSegment = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
        return lastSegment.Split(':')[0].ToLowerInvariant();
    }

    /// <summary>The tag of an image reference (<c>redis:8.6</c> → <c>8.6</c>), or null.</summary>
    public static string? ImageTag(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        var withoutDigest = image.Split('@')[0];
        var lastSegment = withoutDigest[(withoutDigest.LastIndexOf('/') + 1)..];
        var colon = lastSegment.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : lastSegment[(colon + 1)..];
    }

    private static ResourceRole? Classify(ManifestResource resource) => resource.Type switch
    {
        "postgres.server.v0" => ResourceRole.PostgresServer,
        "postgres.database.v0" => ResourceRole.PostgresDatabase,
        "redis.server.v0" => ResourceRole.Redis,
        "container.v0" or "container.v1" when IsPostgresImage(resource.Image) => ResourceRole.PostgresServer,
        "container.v0" or "container.v1" when IsRedisImage(resource.Image) => ResourceRole.Redis,
        "container.v0" or "container.v1" or "dockerfile.v0" => ResourceRole.Service,
        "project.v0" or "project.v1" => ResourceRole.Service,
        "parameter.v0" => resource.IsSecretParameter ? ResourceRole.SecretParameter : ResourceRole.PlainParameter,
        "value.v0" or "annotated.string" => ResourceRole.Value,
        _ => null,
    };

    /// <summary><c>value.v0</c> with <c>{server.connectionString};Database=NAME</c> is how Aspire 13 writes AddDatabase.</summary>
    private void ClassifyDatabaseValues()
    {
        foreach (var resource in resources.Values)
        {
            if (RoleOf(resource.Name) == ResourceRole.PostgresDatabase)
            {
                databaseNames[resource.Name] = resource.Json["databaseName"]?.ToString() ?? resource.Name;
                continue;
            }

            if (RoleOf(resource.Name) != ResourceRole.Value || resource.ConnectionString is not { } connectionString)
            {
                continue;
            }

            var match = DatabaseOnServer().Match(connectionString);
            if (match.Success && RoleOf(match.Groups["server"].Value) == ResourceRole.PostgresServer)
            {
                roles[resource.Name] = ResourceRole.PostgresDatabase;
                databaseNames[resource.Name] = match.Groups["database"].Value;
            }
        }
    }

    /// <summary>A secret parameter a data store's own definition uses is its password: Terraform owns it.</summary>
    private void ClassifyManagedPasswords()
    {
        foreach (var store in resources.Values.Where(resource => RoleOf(resource.Name) is ResourceRole.PostgresServer or ResourceRole.Redis))
        {
            var owner = RoleOf(store.Name) == ResourceRole.PostgresServer ? "database" : "redis";
            var expressions = store.Env.Select(pair => pair.Value).Append(store.ConnectionString ?? string.Empty);
            foreach (Match placeholder in expressions.SelectMany(expression => ValueParameter().Matches(expression)))
            {
                var parameter = placeholder.Groups["name"].Value;
                if (RoleOf(parameter) == ResourceRole.SecretParameter)
                {
                    roles[parameter] = ResourceRole.ManagedPassword;
                    passwordOwners[parameter] = owner;
                }
            }
        }
    }

    private IEnumerable<(string Database, string Server)> DatabaseParents() =>
        resources.Values
            .Where(resource => resource.Type == "postgres.database.v0")
            .Select(resource => (resource.Name, resource.Json["parent"]?.ToString() ?? string.Empty));

    private void RequireAtMostOne(ResourceRole role, string what, string target, List<string> problems)
    {
        var names = WithRole(role).Select(resource => resource.Name).ToList();
        if (names.Count > 1)
        {
            problems.Add($"resources {string.Join(", ", names.Select(name => $"'{name}'"))}: more than one {what}; the Terraform root provisions one {target}");
        }
    }

    [GeneratedRegex("^\\{(?<server>[A-Za-z][A-Za-z0-9-]*)\\.connectionString\\};Database=(?<database>[A-Za-z0-9_-]+)$")]
    private static partial Regex DatabaseOnServer();

    [GeneratedRegex("\\{(?<name>[A-Za-z][A-Za-z0-9-]*)\\.value\\}")]
    private static partial Regex ValueParameter();
}
