using System.Text.RegularExpressions;

namespace AzureFreeGcpManifests.Cli;

/// <summary>
/// Parses <c>--manifest PATH --output DIR [--environment staging|production] [--registry R] [--tag T]</c> plus the
/// optional <c>--project</c>, <c>--region</c>, <c>--project-number</c>, <c>--name-prefix</c>, <c>--parameter NAME=VALUE</c>,
/// <c>--overlay FILE</c> and <c>--skip-unsupported</c>. The project and region default to the ones in an Artifact Registry URL.
/// </summary>
internal static partial class OptionsParser
{
    public const string Usage =
        "usage: azure-free-gcp-manifests --manifest PATH --output DIR [--environment staging|production] [--registry R] [--tag T]"
        + " [--project ID] [--region R] [--project-number N] [--name-prefix P] [--parameter NAME=VALUE]... [--overlay FILE] [--skip-unsupported]";

    private const string DefaultRegion = "us-central1";

    public static PublisherOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var skipUnsupported = false;
        var problems = new List<string>();
        for (var index = 0; index < args.Count; index++)
        {
            var arg = args[index];
            if (arg == "--skip-unsupported")
            {
                skipUnsupported = true;
                continue;
            }

            if (arg is not ("--manifest" or "--output" or "--environment" or "--registry" or "--tag" or "--project" or "--region"
                or "--project-number" or "--name-prefix" or "--parameter" or "--overlay"))
            {
                problems.Add($"unknown option '{arg}'");
                continue;
            }

            if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"option '{arg}' needs a value");
                continue;
            }

            var value = args[++index];
            if (arg == "--parameter")
            {
                var separator = value.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    problems.Add($"--parameter expects NAME=VALUE (got '{value}')");
                    continue;
                }

                parameters[value[..separator]] = value[(separator + 1)..];
                continue;
            }

            values[arg] = value;
        }

        var environment = DeploymentEnvironment.Staging;
        if (values.TryGetValue("--environment", out var environmentName))
        {
            environment = environmentName switch
            {
                "staging" => DeploymentEnvironment.Staging,
                "production" => DeploymentEnvironment.Production,
                _ => Fail(problems, DeploymentEnvironment.Staging, $"--environment must be 'staging' or 'production' (got '{environmentName}')"),
            };
        }

        foreach (var required in new[] { "--manifest", "--output" })
        {
            if (!values.ContainsKey(required))
            {
                problems.Add($"missing required option {required}");
            }
        }

        var namePrefix = values.GetValueOrDefault("--name-prefix", "leadgen");
        if (!NamePrefixPattern().IsMatch(namePrefix))
        {
            problems.Add($"--name-prefix must be 1-12 lowercase letters, digits or hyphens, starting with a letter (got '{namePrefix}')");
        }

        var tag = values.GetValueOrDefault("--tag", "latest");
        if (!TagPattern().IsMatch(tag))
        {
            problems.Add($"--tag is not a valid image tag: '{tag}'");
        }

        // The registry names the project and region when it is an Artifact Registry URL; explicit options win.
        var registryMatch = values.TryGetValue("--registry", out var registry) ? ArtifactRegistryUrl().Match(registry) : Match.Empty;
        var environmentSuffix = environment == DeploymentEnvironment.Production ? "production" : "staging";
        var projectId = values.GetValueOrDefault("--project")
            ?? (registryMatch.Success ? registryMatch.Groups["project"].Value : $"{namePrefix}-{environmentSuffix}");
        var region = values.GetValueOrDefault("--region")
            ?? (registryMatch.Success ? registryMatch.Groups["region"].Value : DefaultRegion);
        registry ??= $"{region}-docker.pkg.dev/{projectId}/{namePrefix}";
        registry = registry.TrimEnd('/');

        if (values.TryGetValue("--project-number", out var projectNumber) && !projectNumber.All(char.IsAsciiDigit))
        {
            problems.Add($"--project-number must be digits (got '{projectNumber}')");
        }

        if (problems.Count > 0)
        {
            throw new PublishException([.. problems, Usage]);
        }

        return new PublisherOptions
        {
            ManifestPath = values["--manifest"],
            OutputDirectory = values["--output"],
            Environment = environment,
            Registry = registry,
            Tag = tag,
            ProjectId = projectId,
            Region = region,
            ProjectNumber = projectNumber,
            NamePrefix = namePrefix,
            SkipUnsupported = skipUnsupported,
            OverlayPath = values.GetValueOrDefault("--overlay"),
            Parameters = parameters,
        };
    }

    private static T Fail<T>(List<string> problems, T fallback, string problem)
    {
        problems.Add(problem);
        return fallback;
    }

    [GeneratedRegex("^(?<region>[a-z0-9-]+)-docker\\.pkg\\.dev/(?<project>[a-z][a-z0-9-]{4,28}[a-z0-9])/[^/]+/?$")]
    private static partial Regex ArtifactRegistryUrl();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,11}$")]
    private static partial Regex NamePrefixPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
