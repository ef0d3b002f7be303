namespace LeadGen.Core.Leads.Import;

/// <summary>The upload as a whole cannot be read (no header, no phone column, a runaway record): nothing is imported.</summary>
public sealed class ImportFormatException(string message) : Exception(message);
