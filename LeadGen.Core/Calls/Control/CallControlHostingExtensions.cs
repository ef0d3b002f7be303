using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Control;

public static class CallControlHostingExtensions
{
    /// <summary>
    /// Operators' hang-up and transfer of live calls, sending side (<see cref="LiveCallControl"/>, for the console).
    /// Needs the data stores and a telephony provider (<c>AddLeadGenTelephonyProvider</c>). The receiving side is part
    /// of every live call (<c>AddLeadGenLiveCalls</c> registers the channel).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenCallControl(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<CallControlChannel>();
        builder.Services.TryAddSingleton<LiveCallControl>();
        return builder;
    }
}
