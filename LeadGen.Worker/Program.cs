using LeadGen.Core.Agent;
using LeadGen.Core.Hosting;
using LeadGen.Simulator;
using LeadGen.Worker;

if (args.Contains(MigrateCommand.Name, StringComparer.OrdinalIgnoreCase))
{
    return await MigrateCommand.RunAsync(args.Where(a => !a.Equals(MigrateCommand.Name, StringComparison.OrdinalIgnoreCase)).ToArray());
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLeadGenDataStores();
builder.AddLeadGenAgent();
builder.AddLeadGenTelephonySimulator(); // only with Telephony:Provider=simulator (the local stack without Twilio)
builder.AddLeadGenWorkerJobs();

var app = builder.Build();
// The worker serves only probes: Cloud Run needs a listening port, and the AppHost health-checks it.
app.MapDefaultEndpoints();
app.MapGet("/", () => Results.Text("LeadGen worker: queue consumers and outbox relay. Probes: /health, /alive."));
await app.RunAsync();
return 0;
