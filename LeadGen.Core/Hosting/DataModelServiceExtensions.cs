using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using Microsoft.Extensions.DependencyInjection;

namespace LeadGen.Core.Hosting;

public static class DataModelServiceExtensions
{
    /// <summary>Registers the data-access services for campaigns, leads, calls and compliance (singletons over the data source).</summary>
    public static IServiceCollection AddLeadGenDataModel(this IServiceCollection services)
    {
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignStatsQuery>();
        services.AddSingleton<LeadStore>();
        services.AddSingleton<CallStore>();
        services.AddSingleton<CallbackStore>();
        services.AddSingleton<DoNotCallRegistry>();
        services.AddSingleton<PersonalDataEraser>();
        return services;
    }
}
