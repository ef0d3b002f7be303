using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using static LeadGen.Publisher.Tests.AppHostManifestTests;

namespace LeadGen.Publisher.Tests;

/// <summary>
/// Each secret is its own Secret Manager secret, read only by the services that use it (issue 18's split, issue 15's
/// console secrets): rotating the Twilio auth token, the REST API key, the stream-token key or the OIDC client secret
/// touches nothing else.
/// </summary>
[Collection(AppHostManifestCollection.Name)]
public sealed class SecretSplitTests(AppHostManifestFixture manifest)
{
    [Theory]
    [InlineData("twilio-auth-token", "Twilio__AuthToken", new[] { "voiceapi" })]
    [InlineData("stream-token-key", "Telephony__StreamTokenKey", new[] { "voiceapi" })]
    [InlineData("twilio-account-sid", "Twilio__AccountSid", new[] { "console", "voiceapi", "worker" })]
    [InlineData("twilio-api-key-sid", "Twilio__ApiKeySid", new[] { "console", "voiceapi", "worker" })]
    [InlineData("twilio-api-key-secret", "Twilio__ApiKeySecret", new[] { "console", "voiceapi", "worker" })]
    [InlineData("management-api-key", "ManagementApi__ApiKey", new[] { "console" })]
    [InlineData("console-oidc-client-id", "Auth__Oidc__ClientId", new[] { "console" })]
    [InlineData("console-oidc-client-secret", "Auth__Oidc__ClientSecret", new[] { "console" })]
    [InlineData("console-role-list", "Auth__RoleList", new[] { "console" })]
    public async Task A_secret_is_its_own_and_only_its_users_can_read_it(string secret, string variable, string[] readers)
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production");
        var tfvars = JsonNode.Parse(files["terraform/services.auto.tfvars.json"])!;

        Assert.Equal("manual", tfvars["secrets"]![secret]!["source"]!.GetValue<string>());
        Assert.Equal(readers, tfvars["secrets"]![secret]!["accessors"]!.AsArray().Select(node => node!.GetValue<string>()).Order());
        foreach (var service in new[] { "console", "voiceapi", "worker" })
        {
            var container = ((YamlSequenceNode)Node(Yaml(files[$"cloudrun/{service}.yaml"]), "spec", "template", "spec", "containers"))[0];
            var entry = ((YamlSequenceNode)Node(container, "env")).Cast<YamlMappingNode>().SingleOrDefault(env => Scalar(env, "name") == variable);
            if (readers.Contains(service))
            {
                Assert.NotNull(entry);
                Assert.Equal(secret, Scalar(entry, "valueFrom", "secretKeyRef", "name"));
                Assert.Equal(secret, tfvars["services"]![service]!["secret_env"]![variable]!.GetValue<string>());
            }
            else
            {
                Assert.Null(entry);
            }
        }
    }

    [Fact]
    public async Task No_secret_value_or_personal_data_is_in_any_generated_file()
    {
        var files = await PublisherRun.PublishAsync(manifest.ManifestPath, PublisherRun.LeadGenConventions, "--parameter", AppHostManifestFixture.PublicBaseUrlParameter, "--environment", "production");
        var secretVariables = new[] { "AuthToken", "ApiKeySecret", "ApiKey", "ClientSecret", "StreamTokenKey", "PASSWORD", "ConnectionStrings__" };

        foreach (var (path, content) in files.Where(file => file.Key.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            var containers = (YamlSequenceNode)Node(Yaml(content), path.EndsWith(".job.yaml", StringComparison.Ordinal)
                ? ["spec", "template", "spec", "template", "spec", "containers"]
                : ["spec", "template", "spec", "containers"]);
            foreach (var variable in containers.Cast<YamlMappingNode>()
                .Where(container => container.Children.ContainsKey(new YamlScalarNode("env")))
                .SelectMany(container => ((YamlSequenceNode)Node(container, "env")).Cast<YamlMappingNode>()))
            {
                var name = Scalar(variable, "name");
                Assert.False(variable.Children.ContainsKey(new YamlScalarNode("value")) && secretVariables.Any(secret => name.Contains(secret, StringComparison.Ordinal)),
                    $"{path}: {name} carries a literal value but must come from Secret Manager");
            }
        }

        foreach (var (path, content) in files)
        {
            // No e-mail address (an allow-list entry, an operator) and no phone number (E.164) in any generated file.
            Assert.DoesNotMatch(@"[A-Za-z0-9._%+-]+@(?!leadgen-[a-z]+\.iam\.gserviceaccount\.com)[A-Za-z0-9-]+\.[A-Za-z.]+", content);
            Assert.DoesNotMatch(@"\+[1-9][0-9]{7,14}\b", content);
            Assert.DoesNotContain("BEGIN PRIVATE KEY", content, StringComparison.Ordinal);
        }
    }
}
