using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Gemini.Live;

public static class GeminiLiveHostingExtensions
{
    /// <summary>
    /// The Gemini Live API as the live-call engine (<see cref="IRealtimeVoiceClient"/>), on the <c>Gemini</c> options
    /// that <c>AddLeadGenGemini</c> binds (required first). Readiness includes the Live model in the model check. Registered with Add, not TryAdd, so it replaces the "no engine" default of <c>AddLeadGenLiveCalls</c> whatever the order.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenGeminiLive(this IHostApplicationBuilder builder)
    {
        if (GeminiHostingExtensions.FindModelCheckList(builder.Services) is null)
        {
            throw new InvalidOperationException("AddLeadGenGeminiLive needs AddLeadGenGemini first (it binds the Gemini options and the model check).");
        }

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<LiveTelemetry>();
        builder.Services.AddSingleton<IRealtimeVoiceClient, GeminiLiveClient>();
        GeminiHostingExtensions.AddModelCheck(builder, new GeminiModelSetting("Gemini:LiveModel", builder.Configuration[$"{GeminiOptions.SectionName}:LiveModel"] ?? new GeminiOptions().LiveModel));
        return builder;
    }
}
