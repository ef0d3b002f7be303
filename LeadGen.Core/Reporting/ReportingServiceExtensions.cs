using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadGen.Core.Reporting;

public static class ReportingServiceExtensions
{
    /// <summary>The read models behind the operator console (overview figures, live calls). Call after AddLeadGenDataStores.</summary>
    public static IServiceCollection AddLeadGenReporting(this IServiceCollection services)
    {
        services.TryAddSingleton<OverviewQuery>();
        services.TryAddSingleton<LiveCallRegistry>();
        return services;
    }
}
