using LeadGen.Core.Calls.Live;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LeadGen.Core.Reporting;

public static class ReportingServiceExtensions
{
    /// <summary>The read models behind the operator console (overview figures, live calls, dead letters). Call after AddLeadGenDataStores.</summary>
    public static IServiceCollection AddLeadGenReporting(this IServiceCollection services)
    {
        services.TryAddSingleton<OverviewQuery>();
        services.TryAddSingleton<LiveCallRegistry>();
        services.TryAddSingleton<DeadLetters>();
        return services;
    }
}
