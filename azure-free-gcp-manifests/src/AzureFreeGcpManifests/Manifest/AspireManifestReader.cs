using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureFreeGcpManifests.Manifest;

/// <summary>Reads <c>aspire-manifest.json</c>; every structural problem is reported, not just the first.</summary>
internal static class AspireManifestReader
{
    public static IReadOnlyList<ManifestResource> Read(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new PublishException($"{source}: not valid JSON ({exception.Message})");
        }

        if (root is not JsonObject document || document["resources"] is not JsonObject resources)
        {
            throw new PublishException($"{source}: not an Aspire manifest (no top-level \"resources\" object)");
        }

        var problems = new List<string>();
        var result = new List<ManifestResource>();
        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject resource)
            {
                problems.Add($"resource '{name}': expected an object");
                continue;
            }

            if (resource["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || type.Length == 0)
            {
                problems.Add($"resource '{name}': missing \"type\"");
                continue;
            }

            if (!ResourceNames.IsValid(name))
            {
                problems.Add($"resource '{name}': name must be letters, digits and hyphens, starting with a letter");
                continue;
            }

            result.Add(new ManifestResource(name, type, resource));
        }

        if (problems.Count > 0)
        {
            throw new PublishException(problems);
        }

        return result;
    }
}
