namespace LeadGen.Console.Apis;

/// <summary>Configuration section <c>ManagementApi</c>.</summary>
public sealed class ManagementApiOptions
{
    public const string SectionName = "ManagementApi";

    /// <summary>Header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The key (AppHost: the <c>management-api-key</c> secret as ManagementApi__ApiKey). Unset: /api refuses every call.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest JSON request body accepted by /api (imports have their own limit, Leads:ImportMaxBytes).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
