namespace LeadGen.Core.Compliance;

/// <param name="Phone">E.164 number.</param>
/// <param name="Reason">Why (e.g. "asked during call"), optional.</param>
/// <param name="Source">Who added it: api, call, import, console.</param>
public sealed record DoNotCallEntry(string Phone, string? Reason, string Source, DateTimeOffset AddedAt);
