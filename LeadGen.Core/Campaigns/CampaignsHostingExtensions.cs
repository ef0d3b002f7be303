using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Campaigns;

public static class CampaignsHostingExtensions
{
    /// <summary>Campaigns: their store and statistics. Needs the data stores (<c>AddLeadGenDataStores</c>).</summary>
    public static IHostApplicationBuilder AddLeadGenCampaigns(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<CampaignStore>();
        builder.Services.TryAddSingleton<CampaignStatsQuery>();
        return builder;
    }
}
