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
using LeadGen.Worker;

if (args.Contains(MigrateCommand.Name, StringComparer.OrdinalIgnoreCase))
{
    return await MigrateCommand.RunAsync(args.Where(a => !a.Equals(MigrateCommand.Name, StringComparison.OrdinalIgnoreCase)).ToArray());
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
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

var app = builder.Build();
// The worker serves only probes: Cloud Run needs a listening port, and the AppHost health-checks it.
app.MapDefaultEndpoints();
app.MapGet("/", () => Results.Text("LeadGen worker: queue consumers and outbox relay. Probes: /health, /alive."));
await app.RunAsync();
return 0;
