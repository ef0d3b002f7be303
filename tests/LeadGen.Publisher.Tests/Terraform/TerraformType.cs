using System.Text.Json;

namespace LeadGen.Publisher.Tests.Terraform;

/// <summary>
/// A Terraform type constraint (<c>map(object({ a = string, b = list(number) }))</c>) parsed from a variable's
/// <c>type</c>, and a strict check of a JSON value against it (every object attribute present, no unknown ones).
/// </summary>
internal sealed record TerraformType(string Kind, TerraformType? Element = null, IReadOnlyDictionary<string, TerraformType>? Attributes = null)
{
    public static TerraformType Parse(string expression)
    {
        var text = expression.Trim();
        if (text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}'))
        {
            text = text[2..^1];
        }

        var tokens = Tokenize(text);
        var position = 0;
        var type = ParseType(tokens, ref position);
        if (position != tokens.Count)
        {
            throw new FormatException($"unexpected '{tokens[position]}' in type {expression}");
        }

        return type;
    }

    public void Validate(JsonElement value, string path, List<string> errors)
    {
        switch (Kind)
        {
            case "any":
                return;
            case "string" when value.ValueKind != JsonValueKind.String:
            case "number" when value.ValueKind != JsonValueKind.Number:
            case "bool" when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                errors.Add($"{path}: expected {Kind}, got {value.ValueKind}");
                return;
            case "list" or "set" when value.ValueKind != JsonValueKind.Array:
            case "map" or "object" when value.ValueKind != JsonValueKind.Object:
                errors.Add($"{path}: expected {Kind}, got {value.ValueKind}");
                return;
            case "list" or "set":
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Element!.Validate(item, $"{path}[{index++}]", errors);
                }

                return;
            case "map":
                foreach (var property in value.EnumerateObject())
                {
                    Element!.Validate(property.Value, $"{path}.{property.Name}", errors);
                }

                return;
            case "object":
                foreach (var (name, type) in Attributes!)
                {
                    if (value.TryGetProperty(name, out var attribute))
                    {
                        type.Validate(attribute, $"{path}.{name}", errors);
                    }
                    else
                    {
                        errors.Add($"{path}: missing attribute '{name}'");
                    }
                }

                errors.AddRange(value.EnumerateObject().Where(property => !Attributes.ContainsKey(property.Name))
                    .Select(property => $"{path}: attribute '{property.Name}' is not in the type"));
                return;
        }
    }

    private static TerraformType ParseType(List<string> tokens, ref int position)
    {
        var name = tokens[position++];
        switch (name)
        {
            case "string" or "number" or "bool" or "any":
                return new TerraformType(name);
            case "list" or "set" or "map":
                Expect(tokens, ref position, "(");
                var element = ParseType(tokens, ref position);
                Expect(tokens, ref position, ")");
                return new TerraformType(name, element);
            case "object":
                Expect(tokens, ref position, "(");
                Expect(tokens, ref position, "{");
                var attributes = new Dictionary<string, TerraformType>(StringComparer.Ordinal);
                while (tokens[position] != "}")
                {
                    var attribute = tokens[position++];
                    Expect(tokens, ref position, "=");
                    attributes[attribute] = ParseType(tokens, ref position);
                    if (tokens[position] == ",")
                    {
                        position++;
                    }
                }

                position++;
                Expect(tokens, ref position, ")");
                return new TerraformType(name, Attributes: attributes);
            default:
                throw new FormatException($"unsupported type constructor '{name}' (optional() and tuple() are not used in this repository)");
        }
    }

    private static void Expect(List<string> tokens, ref int position, string token)
    {
        if (tokens[position] != token)
        {
            throw new FormatException($"expected '{token}' but found '{tokens[position]}'");
        }

        position++;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var index = 0; index < text.Length;)
        {
            var character = text[index];
            if (char.IsWhiteSpace(character))
            {
                index++;
            }
            else if ("(){}=,".Contains(character, StringComparison.Ordinal))
            {
                tokens.Add(character.ToString());
                index++;
            }
            else
            {
                var start = index;
                while (index < text.Length && (char.IsLetterOrDigit(text[index]) || text[index] == '_' || text[index] == '-'))
                {
                    index++;
                }

                if (start == index)
                {
                    throw new FormatException($"unexpected character '{character}' in type");
                }

                tokens.Add(text[start..index]);
            }
        }

        return tokens;
    }
}
