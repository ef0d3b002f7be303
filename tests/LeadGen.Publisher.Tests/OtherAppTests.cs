using System.Text.Json.Nodes;

namespace LeadGen.Publisher.Tests;

/// <summary>
/// The publisher serves any Aspire app: another app (a web project, a worker, a schema job, Postgres, Redis and a
/// parameter, all named differently) published with its own conventions carries none of LeadGen's names, and nothing
/// is recognised by name.
/// </summary>
public sealed class OtherAppTests
{
    private static readonly string[] LeadGenNames = ["leadgen", "LeadGen", "Redis__CaCertificate", "migrations", "voiceapi", "worker"];

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    public async Task Bookshop_with_its_own_conventions_matches_the_snapshot_and_carries_no_leadgen_name(string environment)
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("bookshop.json"),
            "--name-prefix", "books", "--job", "schema-setup", "--redis-ca-certificate-env", "Sessions__TrustedCa",
            "--parameter", "shop-title=Corner Books", "--environment", environment,
            "--registry", $"europe-west1-docker.pkg.dev/books-{environment}/shop", "--tag", "v42");

        Snapshot.Match($"bookshop-{environment}", files);
        AssertNoLeadGenNames(files);
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;
        Assert.Equal("books", tfvars["name_prefix"]!.GetValue<string>());
        Assert.Equal(["schema-setup"], tfvars["jobs"]!.AsObject().Select(job => job.Key));
        Assert.Equal("Sessions__TrustedCa", Assert.Single(tfvars["services"]!["storefront"]!["secret_env"]!.AsObject(), pair => pair.Value!.GetValue<string>() == "redis-ca-certificate").Key);
        Assert.Equal("Corner Books", tfvars["services"]!["storefront"]!["env"]!["Shop__Title"]!.GetValue<string>());
        var fulfilment = tfvars["services"]!["fulfilment"]!;
        Assert.False(fulfilment["public"]!.GetValue<bool>());
        Assert.True(fulfilment["cpu_always_allocated"]!.GetValue<bool>());
        Assert.Equal("books-fulfilment", fulfilment["service_account_id"]!.GetValue<string>());
        Assert.Equal("redis-ca-certificate", fulfilment["secret_env"]!["Sessions__TrustedCa"]!.GetValue<string>());
        Assert.Equal("catalogdb-connection-string", fulfilment["secret_env"]!["ConnectionStrings__catalogdb"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_contract_invocation_needs_no_convention_and_names_nothing_of_leadgen()
    {
        var output = PublisherRun.NewTempDirectory("contract");

        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync(
            "--manifest", PublisherRun.ManifestPath("bookshop.json"), "--output", output, "--parameter", "shop-title=x");

        Assert.True(exitCode == 0, stderr);
        var files = PublisherRun.ReadTree(output);
        AssertNoLeadGenNames(files);
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;
        Assert.Equal("app", tfvars["name_prefix"]!.GetValue<string>());
        Assert.Equal("app-fulfilment", tfvars["services"]!["fulfilment"]!["service_account_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_conventions_nothing_is_a_job_and_no_ca_variable_is_invented()
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath("bookshop.json"),
            "--name-prefix", "books", "--parameter", "shop-title=Corner Books");

        AssertNoLeadGenNames(files);
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;
        Assert.Empty(tfvars["jobs"]!.AsObject());
        Assert.Null(tfvars["secrets"]!["redis-ca-certificate"]);
        Assert.Contains("--redis-ca-certificate-env", files["summary.md"], StringComparison.Ordinal);
        Assert.Equal("us-central1-docker.pkg.dev/books-staging/books/bookshop-web:latest", tfvars["services"]!["storefront"]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_project_named_migrations_running_migrate_is_a_service_unless_named_by_job()
    {
        var manifest = Path.Combine(PublisherRun.NewTempDirectory("named-migrations"), "aspire-manifest.json");
        await File.WriteAllTextAsync(manifest, """
            { "resources": { "migrations": { "type": "project.v0", "path": "M/M.csproj", "args": ["migrate"],
                "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } } } } }
            """);

        var asService = await PublisherRun.PublishAsync(manifest, "--name-prefix", "demo");
        var asJob = await PublisherRun.PublishAsync(manifest, "--name-prefix", "demo", "--job", "migrations");

        Assert.Contains("cloudrun/migrations.yaml", asService.Keys);
        Assert.Contains("cloudrun/migrations.job.yaml", asJob.Keys);
    }

    [Theory]
    [InlineData("nosuch", "--job nosuch: the manifest has no resource named 'nosuch'")]
    [InlineData("books-sql", "--job books-sql: 'books-sql' (container.v0) is not a project, container or Dockerfile workload")]
    public async Task A_job_must_name_a_workload_of_the_manifest(string job, string expected)
    {
        var problems = await PublisherRun.ProblemsAsync(PublisherRun.ManifestPath("bookshop.json"), PublisherRun.NewTempDirectory("bad-job"),
            "--name-prefix", "books", "--parameter", "shop-title=x", "--job", job);

        Assert.Contains(problems, problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }

    /// <summary>No file names LeadGen or one of its resources/conventions (case-insensitive).</summary>
    internal static void AssertNoLeadGenNames(IReadOnlyDictionary<string, string> files)
    {
        foreach (var (path, content) in files)
        {
            foreach (var name in LeadGenNames)
            {
                Assert.False(content.Contains(name, StringComparison.OrdinalIgnoreCase), $"{path} contains LeadGen's '{name}'");
            }
        }
    }
}
