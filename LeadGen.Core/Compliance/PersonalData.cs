using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Compliance;

/// <summary>
/// The data class of what identifies a person — a lead's phone number, e-mail address or name, or a console user's
/// name — for <c>Microsoft.Extensions.Compliance</c>: a log parameter marked <see cref="PersonalDataAttribute"/> is
/// written as <see cref="PersonalDataRedactor.Placeholder"/> by every log provider. Code logs ids, not people; the
/// attribute is for the few places where a message must mention who.
/// </summary>
public static class PersonalData
{
    public static DataClassification Class { get; } = new("LeadGen", nameof(PersonalData));

    /// <summary>Redaction for every log provider (<c>EnableRedaction</c>): classified parameters become the placeholder.</summary>
    public static IHostApplicationBuilder AddLeadGenLogRedaction(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRedaction(redaction => redaction.SetRedactor<PersonalDataRedactor>(new DataClassificationSet(Class)));
        builder.Logging.EnableRedaction();
        return builder;
    }
}

/// <summary>Marks a log parameter (or member) that carries personal data: it is redacted in logs.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(PersonalData.Class);

/// <summary>Replaces personal data with a fixed placeholder (readers see that something was there, never what).</summary>
public sealed class PersonalDataRedactor : Redactor
{
    public const string Placeholder = "[personal data]";

    public override int GetRedactedLength(ReadOnlySpan<char> input) => Placeholder.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        Placeholder.AsSpan().CopyTo(destination);
        return Placeholder.Length;
    }
}
