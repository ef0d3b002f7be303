using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace LeadGen.Canary;

/// <summary>What <see cref="CanaryManifest.Prepare"/> decided, printed as key=value lines for the pipeline scripts.</summary>
internal sealed record CanaryPlan(string Service, string CanaryRevision, string? StableRevision)
{
    public bool FirstDeployment => StableRevision is null;
}

/// <summary>
/// Rewrites a generated Knative Service (the publisher's <c>cloudrun/&lt;service&gt;.yaml</c>) so that
/// <c>gcloud run services replace</c> creates a named revision that gets no traffic and the tag <c>canary</c>, while
/// the revisions serving now keep their share. On a first deployment (nothing serving) the new revision takes 100 %.
/// </summary>
internal static partial class CanaryManifest
{
    public const string CanaryTag = "canary";
    private const int MaxRevisionNameLength = 63;

    public static CanaryPlan Prepare(TextReader serviceYaml, IReadOnlyList<ServingRevision> serving, string revisionSuffix, TextWriter output)
    {
        var stream = new YamlStream();
        stream.Load(serviceYaml);
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException("the service YAML must hold exactly one Knative Service document");
        }

        if (Scalar(root, "kind") != "Service")
        {
            throw new InvalidDataException($"expected kind: Service, found kind: {Scalar(root, "kind") ?? "(none)"}");
        }

        var service = Scalar(Child(root, "metadata"), "name") ?? throw new InvalidDataException("metadata.name is missing");
        var spec = Child(root, "spec");
        var templateMetadata = Child(Child(spec, "template"), "metadata");
        var revision = RevisionName(service, revisionSuffix);
        templateMetadata.Children[new YamlScalarNode("name")] = new YamlScalarNode(revision);

        var traffic = new YamlSequenceNode();
        if (serving.Count == 0)
        {
            traffic.Add(Target(revision, 100, null));
        }
        else
        {
            foreach (var current in serving)
            {
                // The previous canary tag moves to the new revision; other tags (e.g. a pinned "stable") are kept.
                traffic.Add(Target(current.RevisionName, current.Percent, current.Tag == CanaryTag ? null : current.Tag));
            }

            traffic.Add(Target(revision, 0, CanaryTag));
        }

        spec.Children[new YamlScalarNode("traffic")] = traffic;
        stream.Save(output, assignAnchors: false);
        return new CanaryPlan(service, revision, serving.Count == 0 ? null : serving[0].RevisionName);
    }

    /// <summary>Cloud Run revision names are <c>&lt;service&gt;-&lt;suffix&gt;</c>, lowercase letters, digits and dashes, at most 63 characters.</summary>
    public static string RevisionName(string service, string suffix)
    {
        var cleaned = NotDnsLabel().Replace(suffix.ToLowerInvariant(), "-").Trim('-');
        if (cleaned.Length == 0)
        {
            throw new UsageException($"--revision-suffix '{suffix}' has no usable characters (a-z, 0-9, -)");
        }

        var name = $"{service}-{cleaned}";
        return name.Length <= MaxRevisionNameLength ? name : name[..MaxRevisionNameLength].TrimEnd('-');
    }

    private static YamlMappingNode Target(string revision, int percent, string? tag)
    {
        var node = new YamlMappingNode
        {
            { "revisionName", revision },
            { "percent", new YamlScalarNode(percent.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
        };
        if (tag is not null)
        {
            node.Add("tag", tag);
        }

        return node;
    }

    private static YamlMappingNode Child(YamlMappingNode parent, string key)
    {
        if (parent.Children.TryGetValue(new YamlScalarNode(key), out var existing))
        {
            return existing as YamlMappingNode ?? throw new InvalidDataException($"'{key}' must be a mapping");
        }

        var created = new YamlMappingNode();
        parent.Children[new YamlScalarNode(key)] = created;
        return created;
    }

    private static string? Scalar(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDnsLabel();
}
