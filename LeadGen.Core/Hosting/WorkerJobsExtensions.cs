using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Costs;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Hosting;

public static class WorkerJobsExtensions
{
    /// <summary>
    /// Everything the Worker runs: the queue (outbox relay, consumers, gauges), the recurring-job scheduler and the
    /// jobs dialer, place-call, reap-calls, analyze-call (when an <see cref="ICallAnalyzer"/> is registered) and retention.
    /// Until a real telephony provider is registered, place-call uses <see cref="RecordingTelephonyProvider"/>.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenWorkerJobs(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenJobProcessing();
        builder.AddLeadGenCallCompliance();
        var services = builder.Services;
        services.AddOptions<DialerOptions>().Bind(builder.Configuration.GetSection(DialerOptions.SectionName));
        builder.AddLeadGenTelephonyOptions(); // PublicBaseUrl for the dialer's callback URLs
        services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.SectionName));
        services.AddOptions<CallReaperOptions>().Bind(builder.Configuration.GetSection(CallReaperOptions.SectionName));
        services.TryAddSingleton<DialerTelemetry>();
        services.TryAddSingleton<CallScheduler>();
        services.TryAddSingleton<CallLifecycle>(); // call status events from place-call and the reaper move leads on
        services.TryAddSingleton<DialerSlotLog>();
        services.TryAddSingleton<EngineCapacityBackoff>(); // the VoiceApi's "voice model full" signal slows the dialer
        builder.AddLeadGenTelephonyProvider(); // place-call and the reaper use the configured provider (or the stand-in)
        services.AddJobHandler<DialerJobHandler>(JobTypes.Dialer);
        services.AddJobHandler<PlaceCallJobHandler>(JobTypes.PlaceCall);
        builder.AddLeadGenCallCosts(); // analyze-call prices the call it analysed
        services.AddJobHandler<AnalyzeCallJobHandler>(JobTypes.AnalyzeCall, requiredService: typeof(ICallAnalyzer));
        services.AddJobHandler<RetentionJobHandler>(JobTypes.Retention);
        services.AddJobHandler<CallReaperJobHandler>(JobTypes.ReapCalls);
        services.TryAddSingleton<RecurringJobScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<RecurringJobScheduler>());
        return builder;
    }

    /// <summary>The eligibility policy and the finder built on it (any service that must judge callability).</summary>
    public static IHostApplicationBuilder AddLeadGenCallCompliance(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<LeadTimeZoneResolver>();
        builder.Services.TryAddSingleton<CallEligibilityPolicy>();
        builder.Services.TryAddSingleton<EligibleLeadFinder>();
        return builder;
    }
}
