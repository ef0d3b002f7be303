using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Conversations;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Hosting;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Simulator;
using LeadGen.VoiceApi;
using LeadGen.VoiceApi.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLeadGenDataStores();
builder.AddLeadGenTelephony();
builder.AddLeadGenLiveCalls();
builder.AddLeadGenGeminiLive();
builder.AddLeadGenAgent();
builder.Services.AddProblemDetails();
builder.Services.AddHostedService<StartupSelfCheck>();
builder.AddLeadGenManagementApi();
builder.AddLeadGenDemoSeed();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapLeadGenConversationsApi();
app.MapLeadGenManagementApi();
app.UseLeadGenTelephony();
app.MapGet("/", () => Results.Text("LeadGen Voice API. Probes: /health, /alive."));
await app.RunAsync();

/// <summary>Lets integration tests host this app (WebApplicationFactory / Aspire testing).</summary>
public partial class Program;
