using LeadGen.Core.Calls.Live;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Browser;

public static class BrowserCallsHostingExtensions
{
    /// <summary>
    /// Live calls with a browser (<see cref="BrowserTestCalls"/> and its <see cref="BrowserCallHandler"/>, for the host's
    /// authenticated WebSocket endpoint to call), on top of <c>AddLeadGenLiveCalls</c>; the call lifecycle ends them
    /// like phone calls (so the job queue's producer side is added). No endpoint is mapped here and no engine is added
    /// (<c>AddLeadGenGeminiLive</c>): the host decides where, for whom and with which model.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenBrowserCalls(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenLiveCalls();
        builder.AddLeadGenJobQueue();
        builder.Services.TryAddSingleton<CallLifecycle>();
        builder.Services.TryAddSingleton<BrowserCallHandler>();
        builder.Services.TryAddSingleton<BrowserTestCalls>();
        return builder;
    }
}
