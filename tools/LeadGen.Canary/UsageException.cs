namespace LeadGen.Canary;

/// <summary>Input the command line accepted but the tool cannot use (e.g. a revision suffix with no usable characters).</summary>
internal sealed class UsageException(string message) : Exception(message);
