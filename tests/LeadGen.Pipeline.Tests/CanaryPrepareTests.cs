using YamlDotNet.RepresentationModel;

namespace LeadGen.Pipeline.Tests;

/// <summary><c>LeadGen.Canary prepare</c> and <c>tag-url</c>: the traffic pinning applied before <c>gcloud run services replace</c>.</summary>
public sealed class CanaryPrepareTests : IDisposable
{
    private const string GeneratedService = """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: voiceapi
          annotations:
            run.googleapis.com/ingress: all
        spec:
          template:
            metadata:
              annotations:
                autoscaling.knative.dev/minScale: "2"
                run.googleapis.com/sessionAffinity: "true"
            spec:
              timeoutSeconds: 3600
              containers:
              - image: europe-west1-docker.pkg.dev/leadgen-prod/leadgen/voiceapi:0123abc
                env:
                - name: ManagementApi__ApiKey
                  valueFrom:
                    secretKeyRef:
                      name: management-api-key
                      key: latest
          traffic:
          - latestRevision: true
            percent: 100
        """;

    // Shape of `gcloud run services describe voiceapi --format=json` mid-way through an earlier canary.
    private const string Describe = """
        {"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"voiceapi"},
         "status":{"latestReadyRevisionName":"voiceapi-old2",
           "traffic":[{"revisionName":"voiceapi-old1","percent":90},
                      {"revisionName":"voiceapi-old2","percent":10,"tag":"canary","url":"https://canary---voiceapi-xyz-ew.a.run.app"},
                      {"revisionName":"voiceapi-old0","percent":0,"tag":"stable","url":"https://stable---voiceapi-xyz-ew.a.run.app"}]}}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("leadgen-canary-").FullName;

    [Fact]
    public async Task The_new_revision_gets_no_traffic_and_the_canary_tag_while_serving_revisions_keep_theirs()
    {
        var result = await PrepareAsync(Describe, "0123ABC-42-1");

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("service=voiceapi\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("canary_revision=voiceapi-0123abc-42-1\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("stable_revision=voiceapi-old1\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("first_deployment=false", result.StandardOutput, StringComparison.Ordinal);

        var service = LoadOutput();
        var template = (YamlMappingNode)((YamlMappingNode)service["spec"])["template"];
        Assert.Equal("voiceapi-0123abc-42-1", ((YamlMappingNode)template["metadata"])["name"].ToString());
        Assert.Equal("\"2\"", Quoted(((YamlMappingNode)((YamlMappingNode)template["metadata"])["annotations"])["autoscaling.knative.dev/minScale"]));
        var traffic = Traffic(service);
        Assert.Equal(
            ["voiceapi-old1=90", "voiceapi-old2=10", "voiceapi-0123abc-42-1=0 tag=canary"],
            traffic);
        // Everything else, the secret reference included, is carried over untouched (no values, only references).
        var text = await File.ReadAllTextAsync(Path.Combine(_folder, "canary.yaml"));
        Assert.Contains("secretKeyRef:", text, StringComparison.Ordinal);
        Assert.Contains("timeoutSeconds: 3600", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_deployment_sends_all_traffic_to_the_new_revision()
    {
        var result = await PrepareAsync("", "abc");

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("stable_revision=\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("first_deployment=true", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["voiceapi-abc=100"], Traffic(LoadOutput()));
    }

    [Fact]
    public async Task Something_other_than_a_knative_service_is_refused_and_no_output_is_written()
    {
        var result = await PrepareAsync(Describe, "abc", GeneratedService.Replace("kind: Service", "kind: Job", StringComparison.Ordinal));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("expected kind: Service, found kind: Job", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "canary.yaml")));
    }

    [Fact]
    public async Task Tag_url_prints_the_canary_address_for_its_smoke_test()
    {
        var describe = Path.Combine(_folder, "describe.json");
        await File.WriteAllTextAsync(describe, Describe);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var result = await ToolProcess.RunDotnetAsync(ToolProcess.BuiltAssembly("tools/LeadGen.Canary"), ["tag-url", "--current", describe], null, timeout.Token);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("https://canary---voiceapi-xyz-ew.a.run.app", result.StandardOutput.Trim());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<ProcessResult> PrepareAsync(string describeJson, string suffix, string serviceYaml = GeneratedService)
    {
        var service = Path.Combine(_folder, "voiceapi.yaml");
        var current = Path.Combine(_folder, "current.json");
        await File.WriteAllTextAsync(service, serviceYaml);
        await File.WriteAllTextAsync(current, describeJson);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await ToolProcess.RunDotnetAsync(
            ToolProcess.BuiltAssembly("tools/LeadGen.Canary"),
            ["prepare", "--service-yaml", service, "--current", current, "--revision-suffix", suffix, "--output", Path.Combine(_folder, "canary.yaml")],
            null,
            timeout.Token);
    }

    private YamlMappingNode LoadOutput()
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(_folder, "canary.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static List<string> Traffic(YamlMappingNode service) =>
        ((YamlSequenceNode)((YamlMappingNode)service["spec"])["traffic"]).Children.Cast<YamlMappingNode>()
            .Select(t => $"{t["revisionName"]}={t["percent"]}" + (t.Children.TryGetValue(new YamlScalarNode("tag"), out var tag) ? $" tag={tag}" : ""))
            .ToList();

    private static string Quoted(YamlNode node) => ((YamlScalarNode)node).Style == YamlDotNet.Core.ScalarStyle.DoubleQuoted ? $"\"{node}\"" : node.ToString();
}
