using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Gemini.Live;

public static class GeminiLiveHostingExtensions
{
    /// <summary>
    /// The Gemini Live API as the live-call engine (<see cref="IRealtimeVoiceClient"/>), from the <c>Gemini</c> section.
    /// Registered with Add, not TryAdd, so it replaces the "no engine" default of <c>AddLeadGenLiveCalls</c> whatever the order.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenGeminiLive(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GeminiOptions>().Bind(builder.Configuration.GetSection(GeminiOptions.SectionName));
        builder.Services.AddSingleton<IRealtimeVoiceClient, GeminiLiveClient>();
        return builder;
    }
}
