using LeadGen.Core.Leads.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Leads;

public static class LeadsHostingExtensions
{
    /// <summary>
    /// Leads: options (<c>Leads</c>, validated on start), the store, lifecycle and commands, phone normalisation and
    /// bulk import with its telemetry. Needs the data stores (<c>AddLeadGenDataStores</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenLeads(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LeadOptions>()
            .Bind(builder.Configuration.GetSection(LeadOptions.SectionName))
            .Validate(options => !string.IsNullOrWhiteSpace(options.DefaultRegion), "Leads:DefaultRegion must be set (a region code such as US).")
            .Validate(options => options.ImportMaxBytes > 0, "Leads:ImportMaxBytes must be positive.")
            .Validate(options => options.ImportMaxStoredErrors >= 0, "Leads:ImportMaxStoredErrors must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton<LeadStore>();
        services.TryAddSingleton<LeadLifecycle>();
        services.TryAddSingleton<LeadCommands>();
        services.TryAddSingleton<PhoneNumberNormalizer>();
        services.TryAddSingleton<LeadRowParser>();
        services.TryAddSingleton<ImportJobStore>();
        services.TryAddSingleton<ImportTelemetry>();
        services.TryAddSingleton<LeadImporter>();
        return builder;
    }
}
