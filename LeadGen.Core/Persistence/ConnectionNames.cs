namespace LeadGen.Core.Persistence;

/// <summary>Connection-string names shared by the AppHost, the services and the publisher (see DESIGN.md).</summary>
public static class ConnectionNames
{
    public const string Database = "leadgendb";
    public const string Cache = "cache";
}
