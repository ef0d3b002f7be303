namespace LeadGen.Core.Leads;

/// <summary>Configuration section <c>Leads</c>.</summary>
public sealed class LeadOptions
{
    public const string SectionName = "Leads";

    /// <summary>ISO 3166 region used to read numbers written without a country code (e.g. "US", "GB").</summary>
    public string DefaultRegion { get; set; } = "US";

    /// <summary>Largest accepted import body; larger uploads get 413 and nothing is imported.</summary>
    public long ImportMaxBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>How many row errors an import keeps (all are counted; only this many are stored and listed).</summary>
    public int ImportMaxStoredErrors { get; set; } = 10_000;

    /// <summary>Folder for uploads spooled by asynchronous imports; the system temp folder when empty.</summary>
    public string? ImportSpoolPath { get; set; }
}
