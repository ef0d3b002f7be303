namespace LeadGen.Publisher.Tests;

/// <summary>Bad input: a clear one-line reason per problem, a non-zero exit code and nothing written.</summary>
public sealed class ManifestErrorTests
{
    private const string ProjectWithHttp = """{ "type": "project.v0", "path": "A/A.csproj", "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } } }""";

    [Fact]
    public async Task Malformed_json_is_reported_and_nothing_is_written()
    {
        var (exitCode, stderr, output) = await PublishTextAsync("""{ "resources": { "api": """);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: aspire-manifest.json: not valid JSON", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_document_without_resources_is_not_a_manifest()
    {
        var (exitCode, stderr, _) = await PublishTextAsync("""{ "services": {} }""");

        Assert.Equal(1, exitCode);
        Assert.Contains("not an Aspire manifest (no top-level \"resources\" object)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_resource_types_are_named_one_per_line()
    {
        var (exitCode, stderr, output) = await PublishTextAsync($$"""
            { "resources": {
                "api": {{ProjectWithHttp}},
                "tools": { "type": "executable.v0", "command": "node", "args": ["tools.js"] },
                "queue": { "type": "azure.bicep.v0", "path": "queue.bicep" }
            } }
            """);

        Assert.Equal(1, exitCode);
        var lines = stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, line => line.StartsWith("error: resource 'queue': unsupported type 'azure.bicep.v0'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("error: resource 'tools': unsupported type 'executable.v0'", StringComparison.Ordinal)
            && line.Contains("--skip-unsupported", StringComparison.Ordinal));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Skip_unsupported_leaves_them_out_and_says_so()
    {
        var (exitCode, stderr, output) = await PublishTextAsync($$"""
            { "resources": { "api": {{ProjectWithHttp}}, "tools": { "type": "executable.v0", "command": "node" } } }
            """, "--skip-unsupported");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("| tools | executable.v0 | skipped: unsupported (--skip-unsupported) |", File.ReadAllText(Path.Combine(output, "summary.md")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "cloudrun", "tools.yaml")));
    }

    [Fact]
    public async Task A_reference_to_a_skipped_resource_still_fails()
    {
        var (exitCode, stderr, _) = await PublishTextAsync("""
            { "resources": {
                "tools": { "type": "executable.v0", "command": "node", "bindings": { "http": { "scheme": "http", "transport": "http" } } },
                "api": { "type": "project.v0", "path": "A/A.csproj", "env": { "TOOLS": "{tools.bindings.http.url}" } }
            } }
            """, "--skip-unsupported");

        Assert.Equal(1, exitCode);
        Assert.Contains("error: resource 'api' env TOOLS: placeholder '{tools.bindings.http.url}' refers to 'tools', which is not deployed (executable.v0)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "X": "{nothere.connectionString}" }""", "error: resource 'api' env X: placeholder '{nothere.connectionString}' names unknown resource 'nothere'")]
    [InlineData("""{ "X": "{api.bindings.grpc.url}" }""", "error: resource 'api' env X: placeholder '{api.bindings.grpc.url}': resource 'api' has no binding 'grpc'")]
    [InlineData("""{ "X": "{api.bindings.http.url}" }""", "error: resource 'api' env X: placeholder '{api.bindings.http.url}' needs 'api''s Cloud Run URL; pass --project-number")]
    [InlineData("""{ "X": "{api.bindings.http.host" }""", "error: resource 'api' env X: unterminated placeholder")]
    [InlineData("""{ "X": "{flag.value}" }""", "error: resource 'api' env X: parameter 'flag' has no value; pass --parameter flag=VALUE")]
    [InlineData("""{ "X": "Bearer {key.value}" }""", "error: resource 'api' env X: combines operator-supplied secret(s) 'key' with other text")]
    public async Task Unresolvable_placeholders_are_reported(string env, string expected)
    {
        var (exitCode, stderr, _) = await PublishTextAsync($$"""
            { "resources": {
                "flag": { "type": "parameter.v0", "value": "{flag.inputs.value}", "inputs": { "value": { "type": "string" } } },
                "key": { "type": "parameter.v0", "value": "{key.inputs.value}", "inputs": { "value": { "type": "string", "secret": true } } },
                "api": { "type": "project.v0", "path": "A/A.csproj", "env": {{env}},
                         "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } } }
            } }
            """);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resources_without_a_type_or_with_unusable_names_are_reported_together()
    {
        var (exitCode, stderr, _) = await PublishTextAsync($$"""
            { "resources": { "api": { "path": "A/A.csproj" }, "my_api": {{ProjectWithHttp}}, "MyApi": {{ProjectWithHttp}} } }
            """);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: resource 'api': missing \"type\"", stderr, StringComparison.Ordinal);
        Assert.Contains("error: resource 'my_api': name must be letters, digits and hyphens, starting with a letter", stderr, StringComparison.Ordinal);
        Assert.Equal(2, stderr.Trim().Split('\n').Length); // 'MyApi' is only checked once the manifest itself is well-formed
    }

    [Fact]
    public async Task Cloud_run_workload_names_must_be_lowercase()
    {
        var (exitCode, stderr, _) = await PublishTextAsync($$"""{ "resources": { "MyApi": {{ProjectWithHttp}} } }""");

        Assert.Equal(1, exitCode);
        Assert.Contains("error: resource 'MyApi': Cloud Run names must be lowercase letters, digits and hyphens", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_postgres_servers_are_refused()
    {
        var (exitCode, stderr, _) = await PublishTextAsync("""
            { "resources": {
                "pg1": { "type": "container.v0", "image": "postgres:17" },
                "pg2": { "type": "postgres.server.v0" }
            } }
            """);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: resources 'pg1', 'pg2': more than one PostgreSQL server; the Terraform root provisions one Cloud SQL instance", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_without_http_cannot_be_a_cloud_run_service()
    {
        var (exitCode, stderr, _) = await PublishTextAsync("""
            { "resources": { "broker": { "type": "container.v0", "image": "rabbitmq:4", "bindings": { "amqp": { "scheme": "tcp", "transport": "tcp", "targetPort": 5672 } } } } }
            """);

        Assert.Equal(1, exitCode);
        Assert.Contains("error: resource 'broker': Cloud Run serves HTTP only", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_manifest_file_is_reported()
    {
        var output = Path.Combine(PublisherRun.NewTempDirectory("missing"), "out");

        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync("--manifest", "/nonexistent/aspire-manifest.json", "--output", output, "--name-prefix", "test");

        Assert.Equal(1, exitCode);
        Assert.Equal("error: manifest not found: /nonexistent/aspire-manifest.json", stderr.Trim());
    }

    private static async Task<(int ExitCode, string Stderr, string Output)> PublishTextAsync(string manifest, params string[] extraArgs)
    {
        var directory = PublisherRun.NewTempDirectory("errors");
        var path = Path.Combine(directory, "aspire-manifest.json");
        await File.WriteAllTextAsync(path, manifest);
        var output = Path.Combine(directory, "out");
        var (exitCode, _, stderr) = await PublisherRun.RunCommandAsync(["--manifest", path, "--output", output, "--name-prefix", "test", .. extraArgs]);
        return (exitCode, stderr, output);
    }
}
