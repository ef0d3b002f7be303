using System.Text;
using AzureFreeGcpManifests.Cli;
using AzureFreeGcpManifests.Manifest;

namespace AzureFreeGcpManifests.Model;

/// <summary>
/// Resolves manifest expressions (<c>Host={postgres.bindings.tcp.host};Password={postgres-password.value}</c>) into
/// literals, Terraform tokens and secret references. Nothing secret is ever turned into text here: secret parameters
/// become <see cref="SecretPart"/>s, data-store passwords and addresses become <see cref="TerraformTokenPart"/>s.
/// </summary>
internal sealed class ExpressionResolver(ResourceCatalog catalog, PublisherOptions options)
{
    /// <summary>Cloud Run sends requests to this port (its <c>PORT</c>); every service listens on it.</summary>
    public const int CloudRunPort = 8080;

    private readonly HashSet<string> resolving = new(StringComparer.Ordinal);

    /// <summary>Resolves <paramref name="expression"/>; problems name <paramref name="where"/>. Null when it cannot be resolved.</summary>
    public ResolvedValue? Resolve(string expression, string where, List<string> problems)
    {
        var parts = new List<ResolvedValue>();
        var literal = new StringBuilder();
        var failed = false;
        for (var index = 0; index < expression.Length; index++)
        {
            var character = expression[index];
            if ((character == '{' || character == '}') && index + 1 < expression.Length && expression[index + 1] == character)
            {
                literal.Append(character); // "{{" and "}}" are escaped braces
                index++;
                continue;
            }

            if (character != '{')
            {
                literal.Append(character);
                continue;
            }

            var end = expression.IndexOf('}', index);
            if (end < 0)
            {
                problems.Add($"{where}: unterminated placeholder in '{expression}'");
                return null;
            }

            parts.Add(ResolvedValue.Literal(literal.ToString()));
            literal.Clear();
            var placeholder = expression[(index + 1)..end];
            var resolved = ResolvePlaceholder(placeholder, where, problems);
            if (resolved is null)
            {
                failed = true;
            }
            else
            {
                parts.Add(resolved);
            }

            index = end;
        }

        parts.Add(ResolvedValue.Literal(literal.ToString()));
        return failed ? null : ResolvedValue.Concat(parts);
    }

    private ResolvedValue? ResolvePlaceholder(string placeholder, string where, List<string> problems)
    {
        var path = placeholder.Split('.');
        var resource = catalog.Find(path[0]);
        if (resource is null)
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}' names unknown resource '{path[0]}'");
            return null;
        }

        var role = catalog.RoleOf(resource.Name);
        if (role is null or ResourceRole.Skipped)
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}' refers to '{resource.Name}', which is not deployed ({resource.Type})");
            return null;
        }

        if (!resolving.Add(placeholder))
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}' refers to itself");
            return null;
        }

        try
        {
            return path switch
            {
                [_, "connectionString"] => ResolveConnectionString(resource, role.Value, placeholder, where, problems),
                [_, "value"] => ResolveValue(resource, role.Value, placeholder, where, problems),
                [_, "bindings", var binding, var property] => ResolveBinding(resource, role.Value, binding, property, placeholder, where, problems),
                _ => Unsupported(placeholder, where, problems),
            };
        }
        finally
        {
            resolving.Remove(placeholder);
        }
    }

    private ResolvedValue? ResolveConnectionString(ManifestResource resource, ResourceRole role, string placeholder, string where, List<string> problems)
    {
        if (role == ResourceRole.Value && IsTlsCondition(resource))
        {
            // Aspire 13 appends a conditional ",ssl=true" to the Redis connection string when TLS is on; Memorystore's
            // in-transit encryption decides that, so Terraform fills it in.
            return new ResolvedValue([new TerraformTokenPart("redis.tls_suffix")]);
        }

        if (resource.ConnectionString is not { } connectionString)
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}': resource '{resource.Name}' ({resource.Type}) has no connection string");
            return null;
        }

        return Resolve(connectionString, where, problems);
    }

    private ResolvedValue? ResolveValue(ManifestResource resource, ResourceRole role, string placeholder, string where, List<string> problems)
    {
        switch (role)
        {
            case ResourceRole.SecretParameter:
                return new ResolvedValue([new SecretPart(resource.Name)]);
            case ResourceRole.ManagedPassword:
                return new ResolvedValue([new TerraformTokenPart($"{catalog.PasswordOwner(resource.Name)}.password", resource.Name)]);
            case ResourceRole.PlainParameter:
                if (options.Parameters.TryGetValue(resource.Name, out var given))
                {
                    return ResolvedValue.Literal(given);
                }

                if (resource.ParameterDefault is { } fallback)
                {
                    return ResolvedValue.Literal(fallback);
                }

                problems.Add($"{where}: parameter '{resource.Name}' has no value; pass --parameter {resource.Name}=VALUE");
                return null;
            case ResourceRole.Value when resource.Type == "annotated.string":
                return ResolveAnnotatedString(resource, where, problems);
            case ResourceRole.Value when resource.Value is { } value:
                return Resolve(value, where, problems);
            case ResourceRole.Value when resource.ConnectionString is { } connectionString:
                return Resolve(connectionString, where, problems);
            default:
                return Unsupported(placeholder, where, problems);
        }
    }

    /// <summary><c>annotated.string</c> with <c>filter: uri</c> is a URI-escaped copy of another value (e.g. a password).</summary>
    private ResolvedValue? ResolveAnnotatedString(ManifestResource resource, string where, List<string> problems)
    {
        var inner = Resolve(resource.Value ?? string.Empty, where, problems);
        var filter = resource.Json["filter"]?.ToString();
        if (inner is null || filter is null)
        {
            return inner;
        }

        if (filter != "uri")
        {
            problems.Add($"{where}: resource '{resource.Name}' uses unsupported filter '{filter}'");
            return null;
        }

        var parts = new List<ValuePart>();
        foreach (var part in inner.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    parts.Add(new LiteralPart(Uri.EscapeDataString(literal.Text)));
                    break;
                case TerraformTokenPart token:
                    parts.Add(new TerraformTokenPart(token.Token + "_uri"));
                    break;
                default:
                    problems.Add($"{where}: resource '{resource.Name}' URI-encodes an operator-supplied secret, which only Secret Manager holds; reference the secret directly");
                    return null;
            }
        }

        return new ResolvedValue(parts);
    }

    private ResolvedValue? ResolveBinding(
        ManifestResource resource, ResourceRole role, string bindingName, string property, string placeholder, string where, List<string> problems)
    {
        var binding = resource.FindBinding(bindingName);
        if (binding is null && role is ResourceRole.Service or ResourceRole.Job && bindingName == "http")
        {
            binding = new ManifestBinding("http", "http", "http", CloudRunPort, null, External: false);
        }

        if (binding is null)
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}': resource '{resource.Name}' has no binding '{bindingName}'");
            return null;
        }

        if (role is ResourceRole.PostgresServer or ResourceRole.Redis)
        {
            var store = role == ResourceRole.PostgresServer ? "database" : "redis";
            return property switch
            {
                "host" => Token($"{store}.host"),
                "port" or "targetPort" => Token($"{store}.port"),
                "hostAndPort" => new ResolvedValue([new TerraformTokenPart($"{store}.host"), new LiteralPart(":"), new TerraformTokenPart($"{store}.port")]),
                "scheme" when store == "redis" => Token("redis.scheme"),
                "scheme" => ResolvedValue.Literal(binding.Scheme),
                "url" => new ResolvedValue([
                    store == "redis" ? new TerraformTokenPart("redis.scheme") : new LiteralPart(binding.Scheme),
                    new LiteralPart("://"), new TerraformTokenPart($"{store}.host"), new LiteralPart(":"), new TerraformTokenPart($"{store}.port"),
                ]),
                _ => Unsupported(placeholder, where, problems),
            };
        }

        if (role is not (ResourceRole.Service or ResourceRole.Job))
        {
            return Unsupported(placeholder, where, problems);
        }

        if (property == "targetPort")
        {
            return ResolvedValue.Literal(ServicePort(resource).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (property is not ("url" or "host" or "port" or "scheme" or "hostAndPort"))
        {
            return Unsupported(placeholder, where, problems);
        }

        if (property == "scheme")
        {
            return ResolvedValue.Literal("https");
        }

        if (property == "port")
        {
            return ResolvedValue.Literal("443");
        }

        // Cloud Run URLs are https://SERVICE-PROJECT_NUMBER.REGION.run.app; TLS is terminated by Cloud Run.
        if (options.ProjectNumber is null)
        {
            problems.Add($"{where}: placeholder '{{{placeholder}}}' needs '{resource.Name}''s Cloud Run URL; pass --project-number");
            return null;
        }

        var host = $"{resource.Name}-{options.ProjectNumber}.{options.Region}.run.app";
        return ResolvedValue.Literal(property switch
        {
            "host" => host,
            "hostAndPort" => host + ":443",
            _ => "https://" + host,
        });
    }

    /// <summary>The port a service's container listens on: 8080 for projects, the http binding's target port for containers.</summary>
    public static int ServicePort(ManifestResource resource) =>
        resource.Type.StartsWith("project.", StringComparison.Ordinal)
            ? CloudRunPort
            : resource.Bindings.FirstOrDefault(binding => binding.IsHttp)?.TargetPort ?? CloudRunPort;

    private bool IsTlsCondition(ManifestResource resource) =>
        resource.Name.StartsWith("cond-", StringComparison.Ordinal)
        && resource.Name.Contains("-tlsenabled-", StringComparison.Ordinal)
        && catalog.RedisServer is { } redis
        && resource.Name.StartsWith($"cond-{redis.Name}-bindings-", StringComparison.Ordinal);

    private static ResolvedValue Token(string token) => new([new TerraformTokenPart(token)]);

    private static ResolvedValue? Unsupported(string placeholder, string where, List<string> problems)
    {
        problems.Add($"{where}: placeholder '{{{placeholder}}}' is not supported by the GCP publisher");
        return null;
    }
}
