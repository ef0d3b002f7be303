namespace LeadGen.Core.Leads;

/// <summary>A PATCH field: absent (default: leave as is) or present with a value, which may be null (clear it).</summary>
public readonly record struct PatchField<T>(bool HasValue, T Value);

public static class PatchField
{
    public static PatchField<T> Of<T>(T value) => new(true, value);
}
