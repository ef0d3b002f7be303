using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Browser;

public static class BrowserCallsHostingExtensions
{
    /// <summary>
    /// Live calls with a browser (<see cref="BrowserTestCalls"/> and its <see cref="BrowserCallHandler"/>, for the host's
    /// authenticated WebSocket endpoint to call). Needs <c>AddLeadGenLiveCalls</c> and the call lifecycle, which ends
    /// them like phone calls (<c>AddLeadGenTelephonyProvider</c>, with the job queue's producer side). No endpoint is
    /// mapped here and no engine is added (<c>AddLeadGenGeminiLive</c>): the host decides where, for whom and with which model.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenBrowserCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<BrowserCallHandler>();
        builder.Services.TryAddSingleton<BrowserTestCalls>();
        return builder;
    }
}
