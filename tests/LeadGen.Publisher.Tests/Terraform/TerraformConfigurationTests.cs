using System.Text.Json;
using LeadGen.Testing;

namespace LeadGen.Publisher.Tests.Terraform;

/// <summary>
/// infra/terraform checked offline: every file parses, module calls match the modules' variables, references name
/// real outputs and variables, tfvars set only declared variables, and the publisher's generated tfvars fit the types.
/// </summary>
[Collection(AppHostManifestCollection.Name)]
public sealed class TerraformConfigurationTests(AppHostManifestFixture manifest)
{
    private static readonly string Root = Path.Combine(RepositoryPaths.Root, "infra", "terraform");
    private static readonly string[] ModuleNames =
        ["networking", "security", "database", "redis", "cloud_run", "secrets", "storage", "artifact_registry", "monitoring", "audit_logging", "telemetry"];

    private static readonly HashSet<string> MetaArguments = new(StringComparer.Ordinal) { "source", "version", "count", "for_each", "depends_on", "providers" };
    private static readonly Lazy<Task<IReadOnlyDictionary<string, (JsonElement? Json, string? Error)>>> Parsed = new(() =>
        HclParser.ParseAsync(Directory.EnumerateFiles(Root, "*.tf*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".tf", StringComparison.Ordinal) || file.EndsWith(".tfvars", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList()));

    [Fact]
    public async Task Every_terraform_file_parses()
    {
        var parsed = await Parsed.Value;

        Assert.True(parsed.Count >= 46, $"expected the root, ten modules and two environments, found {parsed.Count} files");
        var errors = parsed.Where(file => file.Value.Error is not null).Select(file => $"{file.Key}: {file.Value.Error}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Root_and_every_module_have_their_files()
    {
        foreach (var file in new[] { "main.tf", "variables.tf", "outputs.tf", "versions.tf" })
        {
            Assert.True(File.Exists(Path.Combine(Root, file)), $"root {file}");
        }

        foreach (var module in ModuleNames)
        {
            foreach (var file in new[] { "main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md" })
            {
                Assert.True(File.Exists(Path.Combine(Root, "modules", module, file)), $"modules/{module}/{file}");
            }
        }
    }

    [Fact]
    public async Task Module_calls_pass_only_declared_variables_and_every_required_one()
    {
        var root = await DirectoryAsync(Root);
        Assert.Equal(ModuleNames.Order(StringComparer.Ordinal), root.Modules.Keys.Order(StringComparer.Ordinal));
        var errors = new List<string>();
        foreach (var (name, call) in root.Modules)
        {
            var module = await ModuleAsync(root, name);
            var arguments = call.EnumerateObject().Select(property => property.Name).Where(argument => !MetaArguments.Contains(argument)).ToList();
            errors.AddRange(arguments.Where(argument => !module.Variables.ContainsKey(argument))
                .Select(argument => $"module.{name}: passes '{argument}', which {module.Path} does not declare"));
            errors.AddRange(module.RequiredVariables.Where(variable => !arguments.Contains(variable))
                .Select(variable => $"module.{name}: does not pass required variable '{variable}'"));
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Module_output_references_name_declared_outputs()
    {
        var root = await DirectoryAsync(Root);
        var references = root.ModuleOutputReferences().ToList();
        var errors = new List<string>();
        foreach (var (module, output) in references)
        {
            if (!root.Modules.ContainsKey(module))
            {
                errors.Add($"module.{module}.{output}: no module '{module}'");
                continue;
            }

            if (!(await ModuleAsync(root, module)).Outputs.Contains(output))
            {
                errors.Add($"module.{module}.{output}: module '{module}' has no output '{output}'");
            }
        }

        Assert.True(references.Count >= 20, $"expected the root to wire modules together, found {references.Count} references");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Variable_references_name_declared_variables_in_every_folder()
    {
        var errors = new List<string>();
        foreach (var directory in ModuleNames.Select(module => Path.Combine(Root, "modules", module)).Prepend(Root))
        {
            var folder = await DirectoryAsync(directory);
            errors.AddRange(folder.VariableReferences().Where(variable => !folder.Variables.ContainsKey(variable))
                .Select(variable => $"{directory}: var.{variable} is not declared"));
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    public async Task Environment_tfvars_set_only_declared_variables_and_every_required_one(string environment)
    {
        var root = await DirectoryAsync(Root);
        var values = (await Parsed.Value)[Path.Combine(Root, "environments", $"{environment}.tfvars")].Json!.Value;
        var keys = values.EnumerateObject().Select(property => property.Name).ToList();

        Assert.DoesNotContain(keys, key => !root.Variables.ContainsKey(key));
        Assert.DoesNotContain(root.RequiredVariables, variable => !keys.Contains(variable));
        Assert.Equal(environment, values.GetProperty("environment").GetString());
        var production = environment == "production";
        Assert.Equal(production, values.GetProperty("deletion_protection").GetBoolean());
        Assert.Equal(production, values.GetProperty("database_point_in_time_recovery").GetBoolean());
        if (!production)
        {
            Assert.Contains(values.GetProperty("database_tier").GetString(), new[] { "db-f1-micro", "db-g1-small" }); // shared core
        }
    }

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    public async Task Generated_tfvars_for_our_manifest_match_the_root_variable_types(string environment)
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", environment);

        await AssertMatchesRootVariablesAsync(files["terraform/services.auto.tfvars.json"]);
    }

    [Theory]
    [InlineData("aspire8-typed-resources.json")]
    [InlineData("containers-and-dockerfiles.json")]
    [InlineData("minimal-project.json")]
    [InlineData("secret-canary.json")]
    public async Task Generated_tfvars_for_other_manifests_match_the_root_variable_types(string manifestName)
    {
        var files = await PublisherRun.PublishAsync(PublisherRun.ManifestPath(manifestName), "--project-number", "42", "--name-prefix", "demo");

        await AssertMatchesRootVariablesAsync(files["terraform/services.auto.tfvars.json"]);
    }

    [Fact]
    public async Task Monitoring_alerts_use_exactly_the_seed_thresholds()
    {
        var monitoring = await DirectoryAsync(Path.Combine(Root, "modules", "monitoring"));
        var thresholds = monitoring.Locals.Single(locals => locals.TryGetProperty("thresholds", out _)).GetProperty("thresholds");

        Assert.Equal(0.05, thresholds.GetProperty("error_rate").GetDouble());          // > 5 % ...
        Assert.Equal("300s", thresholds.GetProperty("error_rate_duration").GetString()); // ... for 5 minutes
        Assert.Equal(5000, thresholds.GetProperty("p99_latency_ms").GetInt32());       // > 5 seconds
        Assert.Equal(80, thresholds.GetProperty("instance_count").GetInt32());         // > 80 instances
        Assert.Equal(0.8, thresholds.GetProperty("database_cpu").GetDouble());         // > 80 %
        Assert.Equal(1_000_000, thresholds.GetProperty("llm_tokens_per_hour").GetInt32()); // > 1M tokens/hour
        var text = await File.ReadAllTextAsync(Path.Combine(Root, "modules", "monitoring", "main.tf"));
        foreach (var threshold in new[] { "error_rate", "p99_latency_ms", "instance_count", "database_cpu", "llm_tokens_per_hour" })
        {
            Assert.Contains($"local.thresholds.{threshold}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Networking_uses_the_seed_subnets()
    {
        var networking = await DirectoryAsync(Path.Combine(Root, "modules", "networking"));

        Assert.Equal("10.0.1.0/24", networking.Variables["app_subnet_cidr"].GetProperty("default").GetString());
        Assert.Equal("10.0.2.0/24", networking.Variables["data_subnet_cidr"].GetProperty("default").GetString());
        Assert.Equal("10.0.3.0/24", networking.Variables["ml_subnet_cidr"].GetProperty("default").GetString());
    }

    [Fact]
    public async Task Composed_secret_tokens_the_publisher_emits_are_all_filled_by_terraform()
    {
        var secrets = await File.ReadAllTextAsync(Path.Combine(Root, "modules", "secrets", "main.tf"));
        var rootMain = await File.ReadAllTextAsync(Path.Combine(Root, "main.tf"));
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter);
        using var tfvars = JsonDocument.Parse(files["terraform/services.auto.tfvars.json"]);
        var tokens = tfvars.RootElement.GetProperty("secrets").EnumerateObject()
            .SelectMany(secret => System.Text.RegularExpressions.Regex.Matches(secret.Value.GetProperty("template").GetString()!, "\\{\\{([^}]*)\\}\\}"))
            .Select(match => match.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(tokens);
        foreach (var token in tokens)
        {
            Assert.Contains($"\"{{{{{token}}}}}\", var.token_values[\"{token}\"]", secrets, StringComparison.Ordinal);
            Assert.Contains($"\"{token}\"", rootMain, StringComparison.Ordinal);
        }
    }

    private static async Task AssertMatchesRootVariablesAsync(string tfvarsJson)
    {
        var root = await DirectoryAsync(Root);
        using var tfvars = JsonDocument.Parse(tfvarsJson);
        var errors = new List<string>();
        foreach (var property in tfvars.RootElement.EnumerateObject())
        {
            if (!root.Variables.TryGetValue(property.Name, out var variable))
            {
                errors.Add($"{property.Name}: not a root variable");
                continue;
            }

            var type = TerraformType.Parse(variable.GetProperty("type").GetString()!);
            type.Validate(property.Value, property.Name, errors);
        }

        // The modules that receive these maps unchanged declare the same types.
        foreach (var (module, variable) in new[] { ("cloud_run", "services"), ("cloud_run", "jobs"), ("secrets", "secrets") })
        {
            var declared = (await ModuleAsync(root, module)).Variables[variable];
            TerraformType.Parse(declared.GetProperty("type").GetString()!)
                .Validate(tfvars.RootElement.GetProperty(variable), $"module.{module}.{variable}", errors);
        }

        Assert.Equal(["jobs", "name_prefix", "postgres", "redis", "secrets", "services"],
            tfvars.RootElement.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task<TerraformDirectory> DirectoryAsync(string path) => TerraformDirectory.From(path, await Parsed.Value);

    private static async Task<TerraformDirectory> ModuleAsync(TerraformDirectory root, string name)
    {
        var source = root.Modules[name].GetProperty("source").GetString()!;
        var path = Path.GetFullPath(Path.Combine(root.Path, source));
        Assert.True(Directory.Exists(path), $"module.{name}: source {source} does not exist");
        return await DirectoryAsync(path);
    }
}
