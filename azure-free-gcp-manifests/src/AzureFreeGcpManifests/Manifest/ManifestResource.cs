using System.Text.Json.Nodes;

namespace AzureFreeGcpManifests.Manifest;

/// <summary>One entry of the manifest's <c>resources</c> object, with typed access to the fields the publisher reads.</summary>
internal sealed class ManifestResource(string name, string type, JsonObject json)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public JsonObject Json { get; } = json;

    public string? Image => GetString("image");

    public string? ConnectionString => GetString("connectionString");

    public string? Value => GetString("value");

    public string? Path => GetString("path");

    /// <summary>Environment variables in manifest order (the order Aspire wrote them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env =>
        Json["env"] is JsonObject env
            ? env.Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.ToString() ?? string.Empty)).ToList()
            : [];

    public IReadOnlyList<string> Args =>
        Json["args"] is JsonArray args ? args.Select(arg => arg?.ToString() ?? string.Empty).ToList() : [];

    public IReadOnlyList<ManifestBinding> Bindings =>
        Json["bindings"] is JsonObject bindings
            ? bindings.Select(pair => ManifestBinding.From(pair.Key, pair.Value as JsonObject)).ToList()
            : [];

    public ManifestBinding? FindBinding(string bindingName) =>
        Bindings.FirstOrDefault(binding => binding.Name == bindingName);

    /// <summary><c>inputs.value.secret</c> of a parameter.</summary>
    public bool IsSecretParameter => Json["inputs"]?["value"]?["secret"] is JsonValue secret
        && secret.TryGetValue<bool>(out var isSecret) && isSecret;

    /// <summary>A literal default (<c>inputs.value.default.value</c>) of a parameter, if any.</summary>
    public string? ParameterDefault => Json["inputs"]?["value"]?["default"]?["value"]?.ToString();

    private string? GetString(string property) => Json[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>An endpoint (<c>bindings.NAME</c>) of a resource.</summary>
internal sealed record ManifestBinding(string Name, string Scheme, string Transport, int? TargetPort, int? Port, bool External)
{
    public bool IsHttp => Scheme is "http" or "https" || Transport is "http" or "http2";

    public static ManifestBinding From(string name, JsonObject? json) => new(
        name,
        json?["scheme"]?.ToString() ?? "tcp",
        json?["transport"]?.ToString() ?? "tcp",
        ReadInt(json?["targetPort"]),
        ReadInt(json?["port"]),
        json?["external"] is JsonValue external && external.TryGetValue<bool>(out var isExternal) && isExternal);

    private static int? ReadInt(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
