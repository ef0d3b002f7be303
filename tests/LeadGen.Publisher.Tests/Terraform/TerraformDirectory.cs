using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeadGen.Publisher.Tests.Terraform;

/// <summary>One Terraform module (a folder of .tf files) as parsed JSON: variables, outputs, module calls, references.</summary>
internal sealed partial class TerraformDirectory
{
    private TerraformDirectory(string path, IReadOnlyList<JsonElement> files)
    {
        Path = path;
        Files = files;
        Variables = Blocks("variable").ToDictionary(block => block.Name, block => block.Body, StringComparer.Ordinal);
        Outputs = Blocks("output").Select(block => block.Name).ToHashSet(StringComparer.Ordinal);
        Modules = Blocks("module").ToDictionary(block => block.Name, block => block.Body, StringComparer.Ordinal);
        Locals = files.Where(file => file.TryGetProperty("locals", out _))
            .SelectMany(file => file.GetProperty("locals").EnumerateArray()).ToList();
    }

    public string Path { get; }

    public IReadOnlyList<JsonElement> Files { get; }

    public IReadOnlyDictionary<string, JsonElement> Variables { get; }

    public IReadOnlySet<string> Outputs { get; }

    public IReadOnlyDictionary<string, JsonElement> Modules { get; }

    public IReadOnlyList<JsonElement> Locals { get; }

    public IEnumerable<string> RequiredVariables => Variables.Where(pair => !pair.Value.TryGetProperty("default", out _)).Select(pair => pair.Key);

    public static TerraformDirectory From(string path, IReadOnlyDictionary<string, (JsonElement? Json, string? Error)> parsed) => new(
        path,
        parsed.Where(file => System.IO.Path.GetDirectoryName(file.Key) == path && file.Key.EndsWith(".tf", StringComparison.Ordinal) && file.Value.Json is not null)
            .Select(file => file.Value.Json!.Value).ToList());

    /// <summary>(module, output) for every <c>module.NAME[...].OUTPUT</c> in any expression of this folder.</summary>
    public IEnumerable<(string Module, string Output)> ModuleOutputReferences() =>
        Strings().SelectMany(text => ModuleOutputReference().Matches(text))
            .Select(match => (match.Groups["module"].Value, match.Groups["output"].Value)).Distinct();

    public IEnumerable<string> VariableReferences() =>
        Strings().SelectMany(text => VariableReference().Matches(text)).Select(match => match.Groups["name"].Value).Distinct();

    private IEnumerable<(string Name, JsonElement Body)> Blocks(string kind) =>
        Files.Where(file => file.TryGetProperty(kind, out _))
            .SelectMany(file => file.GetProperty(kind).EnumerateObject())
            .Select(block => (block.Name, block.Value[0]));

    private IEnumerable<string> Strings() => Files.SelectMany(AllStrings);

    private static IEnumerable<string> AllStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(AllStrings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => AllStrings(property.Value).Append(property.Name)),
        _ => [],
    };

    [GeneratedRegex("(?<![A-Za-z0-9_.])module\\.(?<module>[a-z0-9_]+)(\\[[^\\]]*\\])?\\.(?<output>[a-z0-9_]+)")]
    private static partial Regex ModuleOutputReference();

    [GeneratedRegex("(?<![A-Za-z0-9_.])var\\.(?<name>[a-z0-9_]+)")]
    private static partial Regex VariableReference();
}
