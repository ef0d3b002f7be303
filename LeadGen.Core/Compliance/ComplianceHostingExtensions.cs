using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Compliance;

public static class ComplianceHostingExtensions
{
    /// <summary>
    /// Compliance every host applies: retention periods (<c>Retention</c>, validated on start; the Worker's scheduler
    /// and retention job read them), the do-not-call registry, personal-data erasure, log redaction of personal data
    /// (<see cref="PersonalData"/>) and the call eligibility policy with the finder built on it. Needs the data stores.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenCompliance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .Validate(
                options => options.Recordings > TimeSpan.Zero && options.Transcripts > TimeSpan.Zero && options.ProcessedJobMarkers > TimeSpan.Zero && options.Interval > TimeSpan.Zero,
                "Retention:Recordings, Transcripts, ProcessedJobMarkers and Interval must all be positive durations.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<DoNotCallRegistry>();
        builder.Services.TryAddSingleton<PersonalDataEraser>();
        builder.Services.TryAddSingleton<LeadTimeZoneResolver>();
        builder.Services.TryAddSingleton<CallEligibilityPolicy>();
        builder.Services.TryAddSingleton<EligibleLeadFinder>();
        // The stores hold people's data: whatever logs mention it goes through redaction.
        builder.AddLeadGenLogRedaction();
        return builder;
    }

    /// <summary>
    /// The Worker's retention job and its telemetry. Needs <c>AddLeadGenCompliance</c> (its options),
    /// <c>AddLeadGenJobProcessing</c> and the recording store (<c>AddLeadGenCalls</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenRetentionJob(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<RetentionTelemetry>();
        builder.Services.AddJobHandler<RetentionJobHandler>(JobTypes.Retention);
        return builder;
    }
}
