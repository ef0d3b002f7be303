using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Browser;

public static class BrowserCallsHostingExtensions
{
    /// <summary>
    /// Live calls with a browser (<see cref="BrowserCallHandler"/>, for the host's authenticated WebSocket endpoint to
    /// call), on top of <c>AddLeadGenLiveCalls</c>. No endpoint is mapped here: the console decides where and for whom.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenBrowserCalls(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenLiveCalls();
        builder.Services.TryAddSingleton<BrowserCallHandler>();
        return builder;
    }
}
