namespace LeadGen.Core.Leads.Import;

/// <summary>The upload is larger than <see cref="LeadOptions.ImportMaxBytes"/>; nothing is imported.</summary>
public sealed class ImportTooLargeException(long limit)
    : Exception($"The upload is larger than the {limit:N0}-byte limit (Leads:ImportMaxBytes); nothing was imported. Split the file.")
{
    public long Limit { get; } = limit;
}
