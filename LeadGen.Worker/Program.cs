using LeadGen.Worker;

if (args.Contains(MigrateCommand.Name, StringComparer.OrdinalIgnoreCase))
{
    return await MigrateCommand.RunAsync(args.Where(a => !a.Equals(MigrateCommand.Name, StringComparison.OrdinalIgnoreCase)).ToArray());
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLeadGenWorkerFeatures();

var app = builder.Build();
// The worker serves only probes: Cloud Run needs a listening port, and the AppHost health-checks it.
app.MapDefaultEndpoints();
app.MapGet("/", () => Results.Text("LeadGen worker: queue consumers and outbox relay. Probes: /health, /alive."));
await app.RunAsync();
return 0;
