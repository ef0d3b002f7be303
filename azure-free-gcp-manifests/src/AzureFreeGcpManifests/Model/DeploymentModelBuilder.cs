using System.Globalization;
using System.Text.RegularExpressions;
using AzureFreeGcpManifests.Cli;
using AzureFreeGcpManifests.Manifest;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Turns manifest resources into the <see cref="DeploymentModel"/>. All problems are collected and reported together;
/// if there is any, nothing is produced.
/// </summary>
internal static partial class DeploymentModelBuilder
{
    /// <summary>Cloud Run sets these itself and rejects them in a service definition.</summary>
    private static readonly HashSet<string> ReservedEnvironment = new(StringComparer.Ordinal) { "PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION" };

    public static DeploymentModel Build(IReadOnlyList<ManifestResource> resources, PublisherOptions options, ServiceOverlay? overlay = null)
    {
        overlay ??= ServiceOverlay.Empty;
        var problems = new List<string>();
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        var catalog = new ResourceCatalog(resources, options.SkipUnsupported, options.Jobs, problems);
        if (problems.Count > 0)
        {
            throw new PublishException(problems);
        }

        CheckParameterValues(catalog, options, problems);
        var resolver = new ExpressionResolver(catalog, options);
        var profile = EnvironmentProfile.For(options.Environment);
        var secrets = new SecretRegistry();
        foreach (var parameter in catalog.WithRole(ResourceRole.SecretParameter))
        {
            secrets.AddParameter(parameter.Name, SecretSource.Manual, $"secret parameter '{parameter.Name}'");
        }

        foreach (var password in catalog.WithRole(ResourceRole.ManagedPassword))
        {
            var isDatabase = catalog.PasswordOwner(password.Name) == "database";
            secrets.AddParameter(password.Name, isDatabase ? SecretSource.DatabasePassword : SecretSource.RedisAuth,
                isDatabase ? "Cloud SQL user password" : "Memorystore AUTH string");
        }

        var workloadBuilder = new WorkloadBuilder(resolver, options, overlay, secrets, problems, notes);
        var services = catalog.WithRole(ResourceRole.Service).Select(resource => workloadBuilder.Build(resource, profile, isJob: false)).ToList();
        var jobs = catalog.WithRole(ResourceRole.Job).Select(resource => workloadBuilder.Build(resource, profile, isJob: true)).ToList();
        CheckServiceAccountIds([.. services, .. jobs], problems);
        foreach (var unknown in overlay.ServicesFor(profile.Name).Where(name => !services.Concat(jobs).Any(workload => workload.Name == name)))
        {
            problems.Add($"overlay: '{unknown}' is not a Cloud Run service or job of this manifest");
        }

        var postgres = catalog.PostgresServer is { } server ? BuildPostgres(server, catalog) : null;
        var redis = catalog.RedisServer is { } redisServer ? BuildRedis(redisServer, notes) : null;
        NoteStoresWithoutPassword(catalog, notes);
        if (options.OtelCollectorImage is { } collector && services.Count > 0)
        {
            notes.Add($"Every service runs the OpenTelemetry Collector sidecar {collector}: the app exports OTLP to localhost:4317, traces go to Cloud Trace and metrics to Cloud Monitoring (Managed Service for Prometheus); logs go to stdout as JSON. Its config is the secret {TelemetrySidecar.ConfigSecret}, written by Terraform. Jobs run without it (logs only).");
        }

        if (catalog.WithRole(ResourceRole.Skipped).Any())
        {
            notes.Add("Skipped resources (--skip-unsupported) are not deployed; anything that referenced them failed to publish.");
        }

        if (problems.Count > 0)
        {
            throw new PublishException(problems.Distinct(StringComparer.Ordinal).ToList());
        }

        var summary = catalog.All.Select(resource => Describe(resource, catalog, services.Concat(jobs), postgres, redis)).ToList();
        return new DeploymentModel(options, profile, services, jobs, secrets.ToList(), postgres, redis, summary, [.. notes]);
    }

    private static PostgresTarget BuildPostgres(ManifestResource server, ResourceCatalog catalog)
    {
        var major = MajorVersion(ResourceCatalog.ImageTag(server.Image));
        var user = server.Env.FirstOrDefault(pair => pair.Key == "POSTGRES_USER").Value;
        var databases = catalog.WithRole(ResourceRole.PostgresDatabase).Select(database => catalog.DatabaseName(database.Name))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return new PostgresTarget(server.Name, server.Image ?? server.Type,
            major is { } version ? $"POSTGRES_{version}" : "POSTGRES_17", string.IsNullOrEmpty(user) ? "postgres" : user, databases);
    }

    /// <summary>Memorystore for Redis offers up to 7.2; newer Redis (or Valkey) images map to the newest it has.</summary>
    private static RedisTarget BuildRedis(ManifestResource server, SortedSet<string> notes)
    {
        var major = MajorVersion(ResourceCatalog.ImageTag(server.Image));
        var version = major == 6 ? "REDIS_6_X" : "REDIS_7_2";
        if (major is > 7 || ResourceCatalog.ImageRepository(server.Image)?.StartsWith("valkey", StringComparison.Ordinal) == true)
        {
            notes.Add($"'{server.Name}' runs {server.Image} locally; Memorystore for Redis provides {version}, the newest version it offers (wire-compatible for the commands Aspire clients use).");
        }

        return new RedisTarget(server.Name, server.Image ?? server.Type, version);
    }

    /// <summary>Cloud SQL and Memorystore always require a password; a manifest without one yields connection strings that will be refused.</summary>
    private static void NoteStoresWithoutPassword(ResourceCatalog catalog, SortedSet<string> notes)
    {
        foreach (var store in new[] { catalog.PostgresServer, catalog.RedisServer }.OfType<ManifestResource>())
        {
            var owner = catalog.RoleOf(store.Name) == ResourceRole.PostgresServer ? "database" : "redis";
            var hasPassword = catalog.WithRole(ResourceRole.ManagedPassword).Any(password => catalog.PasswordOwner(password.Name) == owner);
            if (!hasPassword)
            {
                notes.Add($"'{store.Name}' has no password parameter in the manifest, but the GCP service requires one: its connection strings carry none, so clients will be refused until the app model adds a password.");
            }
        }
    }

    private static int? MajorVersion(string? tag) =>
        tag is not null && LeadingNumber().Match(tag) is { Success: true } match ? int.Parse(match.Value, CultureInfo.InvariantCulture) : null;

    /// <summary>--parameter is for plain values only: a secret's value must never pass through the publisher (or its errors).</summary>
    private static void CheckParameterValues(ResourceCatalog catalog, PublisherOptions options, List<string> problems)
    {
        foreach (var name in options.Parameters.Keys)
        {
            switch (catalog.RoleOf(name))
            {
                case ResourceRole.PlainParameter:
                    break;
                case ResourceRole.SecretParameter or ResourceRole.ManagedPassword:
                    problems.Add($"--parameter {name}: '{name}' is a secret; its value belongs in Secret Manager, never in the publisher's input or output");
                    break;
                default:
                    problems.Add($"--parameter {name}: the manifest has no plain parameter named '{name}'");
                    break;
            }
        }
    }

    private static void CheckServiceAccountIds(IReadOnlyList<Workload> workloads, List<string> problems)
    {
        foreach (var group in workloads.GroupBy(workload => workload.ServiceAccountId).Where(group => group.Count() > 1))
        {
            problems.Add($"resources {string.Join(", ", group.Select(workload => $"'{workload.Name}'"))}: service account id '{group.Key}' would be shared (names too long); shorten the resource names");
        }
    }

    private static SummaryRow Describe(ManifestResource resource, ResourceCatalog catalog, IEnumerable<Workload> workloads, PostgresTarget? postgres, RedisTarget? redis)
    {
        var workload = workloads.FirstOrDefault(candidate => candidate.Name == resource.Name);
        var target = catalog.RoleOf(resource.Name) switch
        {
            ResourceRole.Service => $"Cloud Run service ({(workload!.IsPublic ? "public" : "internal")}), image {workload.Image}",
            ResourceRole.Job => $"Cloud Run job, run before rollout, image {workload!.Image}",
            ResourceRole.PostgresServer => $"Cloud SQL for PostgreSQL {postgres!.DatabaseVersion}, private IP only",
            ResourceRole.PostgresDatabase => $"database '{catalog.DatabaseName(resource.Name)}' on Cloud SQL",
            ResourceRole.Redis => $"Memorystore for Redis {redis!.RedisVersion}, AUTH and in-transit encryption",
            ResourceRole.SecretParameter => "Secret Manager secret (value added by the operator)",
            ResourceRole.ManagedPassword => catalog.PasswordOwner(resource.Name) == "database"
                ? "Secret Manager secret (Cloud SQL password generated by Terraform)"
                : "Secret Manager secret (Memorystore AUTH string, copied by Terraform)",
            ResourceRole.PlainParameter => "plain value in the services' environment",
            ResourceRole.Value => "resolved into the values that reference it",
            _ => "skipped: unsupported (--skip-unsupported)",
        };
        var type = resource.Image is { } image ? $"{resource.Type} ({image})" : resource.Type;
        return new SummaryRow(resource.Name, type, target);
    }

    [GeneratedRegex("^[0-9]+")]
    private static partial Regex LeadingNumber();

    /// <summary>Builds one Cloud Run service or job: image, args, port, settings and the resolved environment.</summary>
    private sealed partial class WorkloadBuilder(
        ExpressionResolver resolver, PublisherOptions options, ServiceOverlay overlay, SecretRegistry secrets, List<string> problems, SortedSet<string> notes)
    {
        public Workload Build(ManifestResource resource, EnvironmentProfile profile, bool isJob)
        {
            if (!ResourceNames.IsValidWorkloadName(resource.Name))
            {
                problems.Add($"resource '{resource.Name}': Cloud Run names must be lowercase letters, digits and hyphens (at most 49, not ending in a hyphen)");
            }

            var (image, imageName) = ImageOf(resource);
            var args = resource.Args.Select((arg, index) => ResolveArg(resource, arg, index)).ToList();
            var httpBindings = resource.Bindings.Where(binding => binding.IsHttp).ToList();
            if (!isJob && resource.Bindings.Count > 0 && httpBindings.Count == 0)
            {
                problems.Add($"resource '{resource.Name}': Cloud Run serves HTTP only, and none of its bindings ({string.Join(", ", resource.Bindings.Select(binding => binding.Name))}) is HTTP");
            }

            if (httpBindings.Any(binding => binding.Scheme == "https"))
            {
                notes.Add("HTTPS bindings are served by Cloud Run's own TLS termination; containers listen on plain HTTP.");
            }

            var isPublic = !isJob && httpBindings.Any(binding => binding.External);
            var settings = overlay.Apply(profile.Name, resource.Name, isJob ? profile.JobSettings() : profile.ServiceSettings(isPublic));
            CheckSettings(resource.Name, settings, isJob);
            var accountId = ServiceAccountId(resource.Name);
            // Jobs get no sidecar: a run-to-completion task would wait on a collector that never exits.
            var telemetry = !isJob && options.OtelCollectorImage is { } collectorImage ? new TelemetrySidecar(collectorImage) : null;
            return new Workload(
                resource.Name,
                resource.Type,
                image,
                imageName,
                args,
                ExpressionResolver.ServicePort(resource),
                HasHealthProbes: resource.Type.StartsWith("project.", StringComparison.Ordinal),
                isPublic,
                settings,
                accountId,
                $"{accountId}@{options.ProjectId}.iam.gserviceaccount.com",
                WithTelemetry(BuildEnvironment(resource), resource.Name, telemetry),
                telemetry);
        }

        /// <summary>The sidecar's settings for the app container; a variable the manifest already sets is left as it is.</summary>
        private List<EnvironmentEntry> WithTelemetry(List<EnvironmentEntry> entries, string name, TelemetrySidecar? telemetry)
        {
            if (telemetry is null)
            {
                return entries;
            }

            entries.AddRange(TelemetrySidecar.AppEnvironment(name, options.ProjectId)
                .Where(entry => !entries.Any(existing => existing.Name == entry.Name)));
            return entries;
        }

        /// <summary>Cloud Run's limits, checked here so an overlay mistake fails at publish time rather than at deploy time.</summary>
        private void CheckSettings(string name, WorkloadSettings settings, bool isJob)
        {
            var maxTimeout = isJob ? 86_400 : 3_600;
            if (settings.MinInstances < 0 || settings.MaxInstances < 1 || settings.MinInstances > settings.MaxInstances)
            {
                problems.Add($"'{name}': instances must satisfy 0 <= min ({settings.MinInstances}) <= max ({settings.MaxInstances}), max >= 1");
            }

            if (settings.Concurrency is < 1 or > 1000)
            {
                problems.Add($"'{name}': concurrency must be 1-1000 (got {settings.Concurrency})");
            }

            if (settings.TimeoutSeconds < 1 || settings.TimeoutSeconds > maxTimeout)
            {
                problems.Add($"'{name}': timeout must be 1-{maxTimeout} seconds (got {settings.TimeoutSeconds})");
            }
        }

        private (string Image, string ImageName) ImageOf(ManifestResource resource)
        {
            if (resource.Type.StartsWith("project.", StringComparison.Ordinal))
            {
                // One image per project: a job running a project reuses its image with other arguments.
                var projectFile = resource.Path is { Length: > 0 } path ? Path.GetFileNameWithoutExtension(path.Replace('\\', '/')) : resource.Name;
                var imageName = ResourceNames.ToKebab(projectFile);
                return ($"{options.Registry}/{imageName}:{options.Tag}", imageName);
            }

            if (resource.Type == "dockerfile.v0" || resource.Json["build"] is not null || resource.Image is null)
            {
                return ($"{options.Registry}/{resource.Name}:{options.Tag}", resource.Name);
            }

            return (resource.Image, ResourceCatalog.ImageRepository(resource.Image) ?? resource.Name);
        }

        private string ResolveArg(ManifestResource resource, string arg, int index)
        {
            var where = $"resource '{resource.Name}' args[{index}]";
            var resolved = resolver.Resolve(arg, where, problems);
            if (resolved is { IsLiteral: false })
            {
                problems.Add($"{where}: arguments cannot carry secrets or infrastructure addresses; use an environment variable");
            }

            return resolved?.LiteralText ?? string.Empty;
        }

        private List<EnvironmentEntry> BuildEnvironment(ManifestResource resource)
        {
            var entries = new List<EnvironmentEntry>();
            var connectsToRedis = false;
            foreach (var (name, expression) in resource.Env)
            {
                if (ReservedEnvironment.Contains(name))
                {
                    notes.Add($"'{resource.Name}': environment variable {name} is set by Cloud Run and was left out.");
                    continue;
                }

                var where = $"resource '{resource.Name}' env {name}";
                var resolved = resolver.Resolve(expression, where, problems);
                if (resolved is null)
                {
                    continue;
                }

                connectsToRedis |= resolved.Parts.Any(part => part is TerraformTokenPart { Token: var token } && token.StartsWith("redis.", StringComparison.Ordinal));
                var entry = ToEntry(resource, name, expression, resolved, where);
                if (entry is null)
                {
                    continue;
                }

                if (entry.SecretName is { } secret)
                {
                    secrets.MarkUsed(secret, resource.Name);
                }

                entries.Add(entry);
            }

            if (connectsToRedis)
            {
                AddRedisCaCertificate(resource, entries);
            }

            return entries;
        }

        /// <summary>
        /// Memorystore with in-transit encryption presents a certificate from its own CA, which clients must trust.
        /// Terraform fills the secret from server_ca_certs (blank when TLS is off); the app names the variable.
        /// </summary>
        private void AddRedisCaCertificate(ManifestResource resource, List<EnvironmentEntry> entries)
        {
            if (options.RedisCaCertificateVariable is not { } variable)
            {
                notes.Add("Workloads that connect to Memorystore get no copy of its server CA (needed with in-transit encryption); pass --redis-ca-certificate-env NAME to give it to them.");
                return;
            }

            if (entries.Any(entry => entry.Name == variable))
            {
                return;
            }

            var secretName = secrets.AddComposed("{{redis.ca_certificate}}", RedisCaCertificateSecret, resource.Name, $"{resource.Name} env {variable}");
            secrets.MarkUsed(secretName, resource.Name);
            entries.Add(new EnvironmentEntry(variable, null, secretName));
        }

        private const string RedisCaCertificateSecret = "redis-ca-certificate";

        private EnvironmentEntry? ToEntry(ManifestResource resource, string name, string expression, ResolvedValue resolved, string where)
        {
            switch (resolved.Parts)
            {
                case []:
                    return new EnvironmentEntry(name, string.Empty, null);
                case var _ when resolved.IsLiteral:
                    return new EnvironmentEntry(name, resolved.LiteralText, null);
                case [SecretPart secret]:
                    return new EnvironmentEntry(name, null, secret.SecretName);
                case [TerraformTokenPart { SecretName: { } managed }]:
                    return new EnvironmentEntry(name, null, managed);
                case var parts when parts.Any(part => part is SecretPart):
                    problems.Add($"{where}: combines operator-supplied secret(s) {string.Join(", ", parts.OfType<SecretPart>().Select(part => $"'{part.SecretName}'"))} with other text; Secret Manager can only hand over whole secrets");
                    return null;
                default:
                    // Addresses and passwords only Terraform knows: one composed secret per distinct value.
                    var connection = WholeConnectionString().Match(expression);
                    var preferred = connection.Success ? $"{connection.Groups["resource"].Value}-connection-string" : name;
                    var secretName = secrets.AddComposed(resolved.ToTemplate(), preferred, resource.Name, $"{resource.Name} env {name}");
                    return new EnvironmentEntry(name, null, secretName);
            }
        }

        /// <summary><c>{prefix}-{name}</c>, cut to the 30 characters a service account id may have.</summary>
        private string ServiceAccountId(string resourceName)
        {
            var id = $"{options.NamePrefix}-{resourceName}";
            return id.Length <= 30 ? id : id[..30].TrimEnd('-');
        }

        [GeneratedRegex("^\\{(?<resource>[A-Za-z][A-Za-z0-9-]*)\\.connectionString\\}$")]
        private static partial Regex WholeConnectionString();
    }
}
