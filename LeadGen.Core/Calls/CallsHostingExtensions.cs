using LeadGen.Core.Agent;
using LeadGen.Core.Calls.Costs;
using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls;

public static class CallsHostingExtensions
{
    /// <summary>
    /// Call records: the call and callback stores, and the recording store (local folder, Cloud Storage bucket or none)
    /// with the recorder live calls use. Every host: the VoiceApi records, the console plays and erases, the Worker's
    /// retention job deletes. Needs the data stores (<c>AddLeadGenDataStores</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenCalls(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<CallStore>();
        builder.Services.TryAddSingleton<CallbackStore>();
        builder.AddLeadGenRecordings();
        return builder;
    }

    /// <summary>
    /// The Worker's analyze-call job (consumed when an <see cref="ICallAnalyzer"/> is registered, i.e. with
    /// <c>AddLeadGenAgent</c>) and the call costs it records. Needs <c>AddLeadGenJobProcessing</c>.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenCallJobs(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenCallCosts(); // analyze-call prices the call it analysed
        builder.Services.AddJobHandler<AnalyzeCallJobHandler>(JobTypes.AnalyzeCall, requiredService: typeof(ICallAnalyzer));
        return builder;
    }
}
