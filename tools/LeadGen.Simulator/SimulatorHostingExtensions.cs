using LeadGen.Core.Telephony;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Simulator;

public static class SimulatorHostingExtensions
{
    /// <summary>
    /// With <c>Telephony:Provider=simulator</c>: the telephony simulator is this host's provider (and its
    /// <c>Telephony:Simulator</c> options are bound). Otherwise nothing is registered. Call before the host adds
    /// telephony (<c>AddLeadGenTelephonyProvider</c>): the
    /// provider registered first wins, and Core refuses a simulator setting that nobody registered.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenTelephonySimulator(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration[$"{TelephonyOptions.SectionName}:Provider"];
        if (!string.Equals(provider?.Trim(), TelephonyProviderNames.Simulator, StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<SimulatorOptions>().Bind(builder.Configuration.GetSection($"{TelephonyOptions.SectionName}:Simulator"));
        services.TryAddSingleton<SimulatorTelephonyProvider>();
        services.TryAddSingleton<ITelephonyProvider>(sp => sp.GetRequiredService<SimulatorTelephonyProvider>());
        return builder;
    }
}
