using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LeadGen.Console.Apis;

/// <summary>
/// Names every field of a request whose value has the wrong type. The framework's binding stops at the first bad
/// value (a JSON body is read until its first mismatch, query values one parameter at a time); this walks the whole
/// JSON body against the endpoint's body type, and every query value against its parameter, so a 400 lists them all
/// like a validation 400 does. Field names follow the validators: camelCase, dotted, with [index] for lists.
/// </summary>
internal static class RequestTypeErrors
{
    /// <summary>Errors of a JSON body against <paramref name="bodyType"/>; a body that is not JSON at all is one error under "body".</summary>
    public static Dictionary<string, string[]> ForBody(ReadOnlySpan<byte> body, Type bodyType, JsonSerializerOptions options)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.ReadCommentHandling });
        }
        catch (JsonException ex)
        {
            errors[BadRequests.BodyField] = [$"The body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {FirstSentence(ex.Message)}"];
            return errors;
        }

        Check(bodyType, root, BadRequests.BodyField, string.Empty, options, errors);
        return errors;
    }

    /// <summary>Errors of query-string values that cannot be read as the handler parameter they bind to.</summary>
    public static Dictionary<string, string[]> ForQuery(IQueryCollection query, MethodInfo handler)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var parameter in handler.GetParameters())
        {
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (parameter.Name is not { } name || type == typeof(string) || !query.TryGetValue(name, out var values) || TryParseMethod(type) is not { } tryParse)
            {
                continue;
            }

            foreach (var value in values)
            {
                if (!TryParse(tryParse, value))
                {
                    errors[name] = [$"'{Shorten(value)}' is not {Describe(type)}."];
                    break;
                }
            }
        }

        return errors;
    }

    private static void Check(Type type, JsonNode? node, string path, string fieldPrefix, JsonSerializerOptions options, Dictionary<string, string[]> errors)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null)
        {
            if (type.IsValueType && Nullable.GetUnderlyingType(type) is null)
            {
                errors[path] = [$"Must be {Describe(type)}, not null."];
            }

            return;
        }

        if (typeof(JsonNode).IsAssignableFrom(underlying) || underlying == typeof(JsonElement) || underlying == typeof(object))
        {
            if (underlying == typeof(JsonObject) && node is not JsonObject)
            {
                errors[path] = ["Must be a JSON object."];
            }

            return;
        }

        if (IsLeaf(underlying))
        {
            try
            {
                node.Deserialize(type, options);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                errors[path] = [$"Must be {Describe(underlying)}."];
            }

            return;
        }

        if (ElementType(underlying) is { } elementType)
        {
            if (node is not JsonArray array)
            {
                errors[path] = ["Must be an array."];
                return;
            }

            for (var i = 0; i < array.Count; i++)
            {
                Check(elementType, array[i], $"{fieldPrefix.TrimEnd('.')}[{i.ToString(CultureInfo.InvariantCulture)}]", $"{fieldPrefix.TrimEnd('.')}[{i.ToString(CultureInfo.InvariantCulture)}].", options, errors);
            }

            return;
        }

        if (node is not JsonObject json)
        {
            errors[path] = ["Must be a JSON object."];
            return;
        }

        foreach (var (key, value) in json)
        {
            if (FindProperty(underlying, key, options) is { } property)
            {
                var name = fieldPrefix + JsonName(property, options);
                Check(property.PropertyType, value, name, name + ".", options, errors);
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
        || type == typeof(TimeSpan) || type == typeof(Uri) || typeof(IDictionary).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)));

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static PropertyInfo? FindProperty(Type type, string jsonName, JsonSerializerOptions options) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetIndexParameters().Length == 0 && property.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .FirstOrDefault(property => string.Equals(JsonName(property, options), jsonName,
                options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    private static string JsonName(PropertyInfo property, JsonSerializerOptions options) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? options.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name;

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
        _ when type == typeof(decimal) || type == typeof(double) || type == typeof(float) => "a number",
        _ when type == typeof(Guid) => "a UUID",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date and time",
        _ when type == typeof(DateOnly) => "an ISO 8601 date (yyyy-MM-dd)",
        _ when type == typeof(TimeOnly) => "a time (HH:mm)",
        _ when type.IsEnum => $"one of: {string.Join(", ", Enum.GetNames(type))}",
        _ => $"a valid {type.Name}",
    };

    private static MethodInfo? TryParseMethod(Type type) =>
        type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()])
        ?? type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);

    private static bool TryParse(MethodInfo tryParse, string? value)
    {
        object?[] arguments = tryParse.GetParameters().Length == 3 ? [value, CultureInfo.InvariantCulture, null] : [value, null];
        return tryParse.Invoke(null, arguments) is true;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string Shorten(string? value) => value is null ? string.Empty : value.Length <= 40 ? value : value[..40] + "…";
}
