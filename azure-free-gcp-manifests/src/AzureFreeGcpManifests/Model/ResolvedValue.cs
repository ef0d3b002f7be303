using System.Text;

namespace AzureFreeGcpManifests.Model;

/// <summary>A piece of a manifest expression after its placeholders were resolved.</summary>
internal abstract record ValuePart;

/// <summary>Text known at publish time.</summary>
internal sealed record LiteralPart(string Text) : ValuePart;

/// <summary>
/// A value only Terraform knows (a private IP, a generated password), written as <c>{{token}}</c> in a composed secret's
/// template. <see cref="SecretName"/> is set when the token on its own is a whole Secret Manager secret (a password).
/// </summary>
internal sealed record TerraformTokenPart(string Token, string? SecretName = null) : ValuePart;

/// <summary>An operator-supplied secret parameter (Secret Manager); its value is never known to the publisher.</summary>
internal sealed record SecretPart(string SecretName) : ValuePart;

/// <summary>The resolved form of one expression: literals, Terraform tokens and secret references.</summary>
internal sealed record ResolvedValue(IReadOnlyList<ValuePart> Parts)
{
    public static ResolvedValue Literal(string text) => new([new LiteralPart(text)]);

    public bool IsLiteral => Parts.All(part => part is LiteralPart);

    public string LiteralText => string.Concat(Parts.OfType<LiteralPart>().Select(part => part.Text));

    /// <summary>The template Terraform fills in (<c>{{database.host}}</c> style tokens between literals).</summary>
    public string ToTemplate()
    {
        var template = new StringBuilder();
        foreach (var part in Parts)
        {
            template.Append(part switch
            {
                LiteralPart literal => literal.Text,
                TerraformTokenPart token => "{{" + token.Token + "}}",
                SecretPart secret => "{{secret:" + secret.SecretName + "}}",
                _ => throw new InvalidOperationException($"unknown part {part}"),
            });
        }

        return template.ToString();
    }

    public static ResolvedValue Concat(IEnumerable<ResolvedValue> values)
    {
        var parts = new List<ValuePart>();
        foreach (var part in values.SelectMany(value => value.Parts))
        {
            if (part is LiteralPart { Text.Length: 0 })
            {
                continue;
            }

            if (part is LiteralPart next && parts.Count > 0 && parts[^1] is LiteralPart previous)
            {
                parts[^1] = new LiteralPart(previous.Text + next.Text);
                continue;
            }

            parts.Add(part);
        }

        return new ResolvedValue(parts);
    }
}
