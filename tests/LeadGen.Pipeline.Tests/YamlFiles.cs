using LeadGen.Testing;
using YamlDotNet.RepresentationModel;

namespace LeadGen.Pipeline.Tests;

/// <summary>Loads the repository's pipeline YAML files and walks them by key.</summary>
internal static class YamlFiles
{
    public static YamlMappingNode Load(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepositoryPaths.Root, relativePath));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' is not a mapping");

    public static string? Text(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    /// <summary>Every scalar under a node (the strings a pipeline passes around: args, run scripts, env values).</summary>
    public static IEnumerable<string> Scalars(this YamlNode node) => node.AllNodes.OfType<YamlScalarNode>().Select(s => s.Value ?? "");
}
