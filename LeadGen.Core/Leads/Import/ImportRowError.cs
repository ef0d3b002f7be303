namespace LeadGen.Core.Leads.Import;

/// <param name="Row">1-based line of the file on which the row starts (the CSV header is line 1).</param>
/// <param name="Kind"><see cref="ImportRowErrorKinds"/>: rejected (invalid, not imported) or duplicate (skipped by the duplicate rule).</param>
/// <param name="Column">The column as named in the file, or null when the problem is the row as a whole.</param>
/// <param name="Reason">What is wrong, in plain words (never the rejected value itself: uploads hold personal data).</param>
public sealed record ImportRowError(int Row, string Kind, string? Column, string Reason);

public static class ImportRowErrorKinds
{
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";
}
