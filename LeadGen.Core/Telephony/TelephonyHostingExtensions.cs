using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.Telephony.Simulator;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Telephony;

public static class TelephonyHostingExtensions
{
    /// <summary>
    /// Phone calls: options (<c>Telephony</c>, <c>Twilio</c>, <c>PublicBaseUrl</c>, <c>Gemini</c>), the telephony
    /// provider chosen by <c>Telephony:Provider</c>, the Gemini Live voice client, the media-stream bridge and the call
    /// lifecycle (which enqueues analyze-call jobs, so the job queue's producer side is added too).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenTelephony(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<TelephonyOptions>()
            .Bind(configuration.GetSection(TelephonyOptions.SectionName))
            .Configure(options =>
            {
                if (options.PublicBaseUrl is null && configuration["PublicBaseUrl"] is { Length: > 0 } url)
                {
                    options.PublicBaseUrl = new Uri(url);
                }
            });
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.SectionName));
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection($"{TelephonyOptions.SectionName}:Simulator"));
        services.AddOptions<GeminiOptions>().Bind(configuration.GetSection(GeminiOptions.SectionName));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StreamTokens>();
        services.TryAddSingleton<TwilioSignature>();
        services.TryAddSingleton<CallMetrics>();
        services.TryAddSingleton<LiveCallRegistry>();
        services.TryAddSingleton<CallLifecycle>();
        services.TryAddSingleton<MediaStreamHandler>();
        services.TryAddSingleton<IRealtimeVoiceClient, GeminiLiveClient>();
        services.TryAddSingleton<ICallContextProvider, CallContextProvider>();
        services.TryAddSingleton<ILiveCallToolExecutor, LiveCallToolExecutor>();
        services.TryAddSingleton<ICallEventSink, PostgresCallEventSink>();
        var provider = configuration[$"{TelephonyOptions.SectionName}:Provider"] ?? TelephonyProviderNames.Twilio;
        switch (provider.Trim().ToLowerInvariant())
        {
            case TelephonyProviderNames.Simulator:
                services.TryAddSingleton<SimulatorTelephonyProvider>();
                services.TryAddSingleton<ITelephonyProvider>(sp => sp.GetRequiredService<SimulatorTelephonyProvider>());
                break;
            case TelephonyProviderNames.Twilio:
                // Its own HttpClient, without the default retry handler: creating a call is not idempotent.
                services.TryAddSingleton<ITelephonyProvider>(sp => ActivatorUtilities.CreateInstance<TwilioTelephonyProvider>(sp, new HttpClient { Timeout = TimeSpan.FromSeconds(15) }));
                break;
            default:
                throw new InvalidOperationException($"Telephony:Provider '{provider}' is not one of twilio, simulator.");
        }

        builder.AddLeadGenJobQueue();
        return builder;
    }

    /// <summary>WebSockets plus the Twilio webhooks and media stream endpoints.</summary>
    public static WebApplication UseLeadGenTelephony(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapLeadGenTelephony();
        return app;
    }
}
