using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace AzureFreeGcpManifests.Cli;

/// <summary>
/// The command line (System.CommandLine): each option checks its own value, so every mistake is a parse error (exit
/// code 2); <see cref="ToOptions"/> then applies the defaults that depend on other options (project and region from an
/// Artifact Registry URL). Nothing here knows any particular app: its naming conventions arrive as options, usually
/// from a response file (<c>@conventions.rsp</c>).
/// </summary>
internal sealed partial class PublisherCommandLine
{
    /// <summary>The one-line reminder printed after parse errors.</summary>
    public const string Usage =
        "usage: azure-free-gcp-manifests --manifest PATH --output DIR [options] (--help lists them)";

    private const string DefaultRegion = "us-central1";

    /// <summary>Neutral on purpose: an app's own prefix is one of its conventions, passed with --name-prefix.</summary>
    private const string DefaultNamePrefix = "app";

    private readonly Option<string> _manifest = new("--manifest")
    {
        Description = "The Aspire manifest (aspire-manifest.json).",
        HelpName = "PATH",
        Required = true,
    };

    private readonly Option<string> _output = new("--output")
    {
        Description = "Output folder (created; earlier cloudrun/*.yaml that no longer belong are removed).",
        HelpName = "DIR",
        Required = true,
    };

    private readonly Option<string> _namePrefix = new("--name-prefix")
    {
        Description = "Prefix of shared GCP names (VPC <P>-vpc, subnet <P>-app, service accounts <P>-<resource>); written to the tfvars as Terraform's name_prefix.",
        HelpName = "P",
        DefaultValueFactory = _ => DefaultNamePrefix,
        Validators = { Check(value => NamePrefixPattern().IsMatch(value), value => $"--name-prefix must be 1-12 lowercase letters, digits or hyphens, starting with a letter (got '{value}')") },
    };

    private readonly Option<string> _environment = new("--environment")
    {
        Description = "Environment overlay (scaling and sizes).",
        HelpName = "staging|production",
        DefaultValueFactory = _ => "staging",
        Validators = { Check(value => value is "staging" or "production", value => $"--environment must be 'staging' or 'production' (got '{value}')") },
    };

    private readonly Option<string> _registry = new("--registry")
    {
        Description = "Artifact Registry repository for built images; its project and region are the defaults of --project and --region. Default: <region>-docker.pkg.dev/<project>/<prefix>.",
        HelpName = "R",
    };

    private readonly Option<string> _tag = new("--tag")
    {
        Description = "Image tag.",
        HelpName = "T",
        DefaultValueFactory = _ => "latest",
        Validators = { Check(value => TagPattern().IsMatch(value), value => $"--tag is not a valid image tag: '{value}'") },
    };

    private readonly Option<string> _project = new("--project")
    {
        Description = "GCP project id (service account emails). Default: from --registry, else <prefix>-<environment>.",
        HelpName = "ID",
    };

    private readonly Option<string> _region = new("--region")
    {
        Description = $"Region. Default: from --registry, else {DefaultRegion}.",
        HelpName = "R",
    };

    private readonly Option<string> _projectNumber = new("--project-number")
    {
        Description = "GCP project number; needed only if a service references another's URL.",
        HelpName = "N",
        Validators = { Check(value => value.Length > 0 && value.All(char.IsAsciiDigit), value => $"--project-number must be digits (got '{value}')") },
    };

    private readonly Option<string[]> _parameters = new("--parameter")
    {
        Description = "Value of a non-secret parameter without a default (repeatable). Secrets are refused: they belong in Secret Manager.",
        HelpName = "NAME=VALUE",
        Validators = { CheckEach(value => value.IndexOf('=', StringComparison.Ordinal) > 0, value => $"--parameter expects NAME=VALUE (got '{value}')") },
    };

    private readonly Option<string[]> _jobs = new("--job")
    {
        Description = "Resource deployed as a Cloud Run job run before rollout (e.g. a migrations project) instead of a service (repeatable).",
        HelpName = "NAME",
    };

    private readonly Option<string> _redisCaCertificateVariable = new("--redis-ca-certificate-env")
    {
        Description = "Environment variable that receives Memorystore's server CA (PEM) in every workload that connects to Redis. Default: none.",
        HelpName = "NAME",
        Validators = { Check(value => EnvironmentVariablePattern().IsMatch(value), value => $"--redis-ca-certificate-env must be an environment variable name (got '{value}')") },
    };

    private readonly Option<bool> _otelCollector = new("--otel-collector")
    {
        Description = "Give every service the Google-Built OpenTelemetry Collector as a sidecar (OTLP on localhost -> Cloud Trace and Cloud Monitoring); its config is the Secret Manager secret otel-collector-config.",
    };

    private readonly Option<string> _otelCollectorImage = new("--otel-collector-image")
    {
        Description = "Collector image for --otel-collector.",
        HelpName = "IMAGE",
        DefaultValueFactory = _ => Model.TelemetrySidecar.DefaultImage,
        Validators = { Check(value => value.Length > 0 && !value.Any(char.IsWhiteSpace), value => $"--otel-collector-image is not an image reference: '{value}'") },
    };

    private readonly Option<string> _overlay = new("--overlay")
    {
        Description = "JSON file of per-environment, per-service overrides.",
        HelpName = "FILE",
    };

    private readonly Option<bool> _skipUnsupported = new("--skip-unsupported")
    {
        Description = "Leave unsupported resources out (listed as skipped in the summary) instead of failing.",
    };

    public PublisherCommandLine()
    {
        Command = new RootCommand("Turns an Aspire manifest into Cloud Run service and job YAML plus Terraform inputs.")
        {
            _manifest, _output, _namePrefix, _environment, _registry, _tag, _project, _region, _projectNumber, _parameters, _jobs,
            _redisCaCertificateVariable, _otelCollector, _otelCollectorImage, _overlay, _skipUnsupported,
        };
    }

    /// <summary>The root command with every option (and --help, --version); the caller sets its action.</summary>
    public RootCommand Command { get; }

    /// <summary>Parses; <c>@FILE</c> arguments are response files (one or more options per line, <c>#</c> comments).</summary>
    public ParseResult Parse(IReadOnlyList<string> args) => Command.Parse(args);

    /// <summary>What the command line asked for, with the defaults applied. Only call on a result without errors.</summary>
    public PublisherOptions ToOptions(ParseResult result)
    {
        var namePrefix = result.GetRequiredValue(_namePrefix);
        var environment = result.GetValue(_environment) == "production" ? DeploymentEnvironment.Production : DeploymentEnvironment.Staging;
        var registry = result.GetValue(_registry);
        var registryMatch = registry is null ? Match.Empty : ArtifactRegistryUrl().Match(registry);
        var environmentSuffix = environment == DeploymentEnvironment.Production ? "production" : "staging";
        var projectId = result.GetValue(_project)
            ?? (registryMatch.Success ? registryMatch.Groups["project"].Value : $"{namePrefix}-{environmentSuffix}");
        var region = result.GetValue(_region)
            ?? (registryMatch.Success ? registryMatch.Groups["region"].Value : DefaultRegion);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in result.GetValue(_parameters) ?? [])
        {
            var separator = parameter.IndexOf('=', StringComparison.Ordinal);
            parameters[parameter[..separator]] = parameter[(separator + 1)..];
        }

        return new PublisherOptions
        {
            ManifestPath = result.GetRequiredValue(_manifest),
            OutputDirectory = result.GetRequiredValue(_output),
            Environment = environment,
            Registry = (registry ?? $"{region}-docker.pkg.dev/{projectId}/{namePrefix}").TrimEnd('/'),
            Tag = result.GetRequiredValue(_tag),
            ProjectId = projectId,
            Region = region,
            ProjectNumber = result.GetValue(_projectNumber),
            NamePrefix = namePrefix,
            SkipUnsupported = result.GetValue(_skipUnsupported),
            OverlayPath = result.GetValue(_overlay),
            Parameters = parameters,
            Jobs = new SortedSet<string>(result.GetValue(_jobs) ?? [], StringComparer.Ordinal),
            RedisCaCertificateVariable = result.GetValue(_redisCaCertificateVariable),
            OtelCollectorImage = result.GetValue(_otelCollector) ? result.GetRequiredValue(_otelCollectorImage) : null,
        };
    }

    private static Action<OptionResult> Check(Func<string, bool> isValid, Func<string, string> problem) => result =>
    {
        if (result.GetValueOrDefault<string>() is { } value && !isValid(value))
        {
            result.AddError(problem(value));
        }
    };

    private static Action<OptionResult> CheckEach(Func<string, bool> isValid, Func<string, string> problem) => result =>
    {
        foreach (var value in result.GetValueOrDefault<string[]>() ?? [])
        {
            if (!isValid(value))
            {
                result.AddError(problem(value));
            }
        }
    };

    [GeneratedRegex("^(?<region>[a-z0-9-]+)-docker\\.pkg\\.dev/(?<project>[a-z][a-z0-9-]{4,28}[a-z0-9])/[^/]+/?$")]
    private static partial Regex ArtifactRegistryUrl();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,11}$")]
    private static partial Regex NamePrefixPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariablePattern();
}
