using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Core.Hosting;

public static class DataModelServiceExtensions
{
    /// <summary>Registers the data-access services for campaigns, leads (incl. bulk import), calls and compliance
    /// (singletons over the data source; options from the <c>Leads</c> section).</summary>
    public static IServiceCollection AddLeadGenDataModel(this IServiceCollection services)
    {
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignStatsQuery>();
        services.AddSingleton<LeadStore>();
        services.AddSingleton<LeadLifecycle>();
        services.AddSingleton<DialerStateQuery>();
        services.AddOptions<DialerOptions>().BindConfiguration(DialerOptions.SectionName);
        services.AddSingleton<LeadCommands>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<CallbackStore>();
        services.AddSingleton<DoNotCallRegistry>();
        services.AddSingleton<PersonalDataEraser>();
        services.AddOptions<LeadOptions>().BindConfiguration(LeadOptions.SectionName);
        services.AddSingleton<PhoneNumberNormalizer>();
        services.AddSingleton<LeadRowParser>();
        services.AddSingleton<ImportJobStore>();
        services.AddSingleton<LeadImporter>();
        return services;
    }
}
