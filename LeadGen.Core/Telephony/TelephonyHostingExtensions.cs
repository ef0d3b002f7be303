using LeadGen.Core.Calls.Live;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.MediaStreams;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony;

public static class TelephonyHostingExtensions
{
    /// <summary>
    /// Phone calls (the VoiceApi): stream tokens, webhook signatures, the Media Streams transport and the
    /// ConversationRelay voice mode. Needs <see cref="AddLeadGenTelephonyProvider"/> (options, provider, call lifecycle)
    /// and the job queue's producer side (<c>AddLeadGenJobQueue</c>). Live calls themselves (<c>AddLeadGenLiveCalls</c>)
    /// and their engine (<c>AddLeadGenGeminiLive</c>) are the host's to add; the telephony default transfer number fills
    /// in <see cref="LiveCallOptions.DefaultTransferNumber"/>.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenTelephony(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<StreamTokens>();
        services.TryAddSingleton<StreamTokenGuard>();
        services.TryAddSingleton<TwilioSignature>();
        services.TryAddSingleton<TwilioWebhookHandler>();
        services.TryAddSingleton<MediaStreamHandler>();
        services.AddOptions<LiveCallOptions>().Configure<IOptions<TelephonyOptions>>((live, telephony) =>
            live.DefaultTransferNumber ??= telephony.Value.TransferNumber);
        builder.AddLeadGenConversationRelay();
        return builder;
    }

    /// <summary>
    /// Telephony for every host: options (<c>Telephony</c> with the root <c>PublicBaseUrl</c>, and <c>Twilio</c>;
    /// validated on start), the call lifecycle (final statuses, which enqueue analyze-call: needs the job queue's
    /// producer side) and the telephony provider the dialer places calls with: <c>Telephony:Provider</c> = twilio | simulator (registered
    /// beforehand by LeadGen.Simulator's <c>AddLeadGenTelephonySimulator</c>); when unset,
    /// Twilio if <c>Twilio:AccountSid</c> is configured, otherwise the logging-only <see cref="RecordingTelephonyProvider"/>
    /// stand-in (it dials nobody; starting a campaign is refused while it is the provider). A provider registered
    /// earlier wins.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenTelephonyProvider(this IHostApplicationBuilder builder)
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
            })
            .Validate(options => options.PublicBaseUrl is null || options.PublicBaseUrl.IsAbsoluteUri, "PublicBaseUrl (or Telephony:PublicBaseUrl) must be an absolute URL such as https://voice.example.com.")
            .Validate(options => options.StreamTokenLifetime > TimeSpan.Zero, "Telephony:StreamTokenLifetime must be a positive duration.")
            .ValidateOnStart();
        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.SectionName))
            .Validate(options => options.ApiBaseUrl.IsAbsoluteUri, "Twilio:ApiBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Reporting.OutcomeMetrics>();
        services.TryAddSingleton<CallLifecycle>();
        var provider = configuration[$"{TelephonyOptions.SectionName}:Provider"]
            ?? (string.IsNullOrEmpty(configuration["Twilio:AccountSid"]) ? null : TelephonyProviderNames.Twilio);
        switch (provider?.Trim().ToLowerInvariant())
        {
            case null:
                services.TryAddSingleton<ITelephonyProvider, RecordingTelephonyProvider>();
                break;
            case TelephonyProviderNames.Simulator:
                // The simulator is a test double outside Core (LeadGen.Simulator): the host registers it first.
                if (!services.Any(descriptor => descriptor.ServiceType == typeof(ITelephonyProvider)))
                {
                    throw new InvalidOperationException(
                        "Telephony:Provider is 'simulator' but no simulator is registered: call builder.AddLeadGenTelephonySimulator() (LeadGen.Simulator) before adding telephony.");
                }

                break;
            case TelephonyProviderNames.Twilio:
                // Its own HttpClient and resilience pipeline (TwilioRestClient): creating a call is never retried.
                services.AddTwilioRestClient();
                services.TryAddSingleton<ITelephonyProvider, TwilioTelephonyProvider>();
                break;
            default:
                throw new InvalidOperationException($"Telephony:Provider '{provider}' is not one of twilio, simulator.");
        }

        return builder;
    }
}
