using System.Text.Json.Nodes;

namespace LeadGen.Core.Leads;

/// <summary>Fields an operator may change on a lead; absent fields stay as they are. Values are already validated.</summary>
public sealed record LeadPatch
{
    public PatchField<string?> Name { get; init; }

    public PatchField<string> Phone { get; init; }

    public PatchField<string?> Email { get; init; }

    public PatchField<string?> Company { get; init; }

    public PatchField<string?> Role { get; init; }

    public PatchField<string?> TimeZone { get; init; }

    public PatchField<string?> Source { get; init; }

    public PatchField<DateTimeOffset?> ConsentGivenAt { get; init; }

    public PatchField<string?> ConsentMethod { get; init; }

    public PatchField<string> Status { get; init; }

    public PatchField<DateTimeOffset?> NextAttemptAt { get; init; }

    public PatchField<int?> Score { get; init; }

    public PatchField<JsonObject> Qualification { get; init; }
}
