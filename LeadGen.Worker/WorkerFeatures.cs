using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Dialer;
using LeadGen.Core.Gemini;
using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;

namespace LeadGen.Worker;

/// <summary>
/// The Worker's composition: the features it runs, one <c>Add…</c> each. Its <c>Program</c> adds these after the
/// service defaults; public so that test hosts run exactly what the Worker runs instead of a copy of the list.
/// </summary>
public static class WorkerFeatures
{
    public static IHostApplicationBuilder AddLeadGenWorkerFeatures(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenDataStores();
        builder.AddLeadGenCampaigns();
        builder.AddLeadGenLeads();
        builder.AddLeadGenCalls();
        builder.AddLeadGenCompliance();
        builder.AddLeadGenGemini();
        builder.AddLeadGenAgent();
        builder.AddLeadGenTelephonySimulator(); // only with Telephony:Provider=simulator (the local stack without Twilio)
        builder.AddLeadGenTelephonyProvider();
        builder.AddLeadGenDialer();
        // The jobs: queue consumers and outbox relay, then each feature's handlers.
        builder.AddLeadGenJobProcessing();
        builder.AddLeadGenDialerJobs();
        builder.AddLeadGenCallJobs();
        builder.AddLeadGenRetentionJob();
        return builder;
    }
}
