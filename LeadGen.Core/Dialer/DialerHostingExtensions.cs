using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Dialer;

public static class DialerHostingExtensions
{
    /// <summary>
    /// The dialer's settings (<c>Dialer</c>, validated on start) and its state per campaign, for any host that shows or
    /// starts dialing. Needs the data stores and a telephony provider (<c>AddLeadGenTelephonyProvider</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenDialer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DialerOptions>()
            .Bind(builder.Configuration.GetSection(DialerOptions.SectionName))
            .Validate(options => options.Interval > TimeSpan.Zero, "Dialer:Interval must be a positive duration (e.g. 00:00:15).")
            .Validate(options => options.DefaultMaxConcurrentCalls > 0, "Dialer:DefaultMaxConcurrentCalls must be at least 1.")
            .Validate(options => options.MaxNewCallsPerRun > 0 && options.ScanLimit > 0, "Dialer:MaxNewCallsPerRun and Dialer:ScanLimit must be at least 1.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<DialerStateQuery>();
        return builder;
    }

    /// <summary>
    /// The Worker's dialing loop: the recurring-job scheduler (it also ticks retention, on the <c>Retention</c> options
    /// of <c>AddLeadGenCompliance</c>) and the dialer, place-call and reap-calls jobs (reaper options <c>CallReaper</c>,
    /// validated on start), with the dialer's telemetry. Needs <c>AddLeadGenDialer</c>, <c>AddLeadGenJobProcessing</c>,
    /// <c>AddLeadGenCompliance</c> and the telephony provider.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenDialerJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CallReaperOptions>()
            .Bind(builder.Configuration.GetSection(CallReaperOptions.SectionName))
            .Validate(options => options.Interval > TimeSpan.Zero && options.BatchSize > 0, "CallReaper:Interval must be a positive duration and CallReaper:BatchSize at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton<DialerTelemetry>();
        services.TryAddSingleton<CallScheduler>();
        services.TryAddSingleton<DialerSlotLog>();
        services.TryAddSingleton<EngineCapacityBackoff>(); // the VoiceApi's "voice model full" signal slows the dialer
        services.AddJobHandler<DialerJobHandler>(JobTypes.Dialer);
        services.AddJobHandler<PlaceCallJobHandler>(JobTypes.PlaceCall);
        services.AddJobHandler<CallReaperJobHandler>(JobTypes.ReapCalls);
        services.TryAddSingleton<RecurringJobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<RecurringJobScheduler>());
        return builder;
    }
}
