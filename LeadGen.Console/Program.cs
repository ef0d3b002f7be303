using LeadGen.Console;
using LeadGen.Console.Apis;
using LeadGen.Console.Auth;
using LeadGen.Console.Calls;
using LeadGen.Console.Exports;
using LeadGen.Console.Recordings;
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

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLeadGenDataStores();
builder.AddLeadGenCampaigns();
builder.AddLeadGenLeads();
builder.AddLeadGenCalls();
builder.AddLeadGenCompliance();
builder.AddLeadGenJobQueue();
builder.AddLeadGenGemini();
builder.AddLeadGenAgent();
builder.Services.AddProblemDetails();
builder.AddLeadGenConsoleAuth();
builder.AddLeadGenManagementApi();
builder.AddLeadGenConsoleUi();
// Starting a campaign needs to know whether this deployment can dial (the same setting the Worker dials with).
builder.AddLeadGenTelephonySimulator(); // only with Telephony:Provider=simulator (the local stack without Twilio)
builder.AddLeadGenTelephonyProvider();
builder.AddLeadGenDialer();
builder.AddLeadGenDemoSeed();
builder.AddLeadGenConsoleCalls();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.UseLeadGenConsoleAuth();
app.MapLeadGenManagementApi();
app.MapLeadGenConsoleExports();
app.MapLeadGenRecordingPlayback();
app.MapLeadGenConsoleCalls();
app.MapLeadGenConsoleUi();
await app.RunAsync();

/// <summary>Lets integration tests host this app (WebApplicationFactory).</summary>
public partial class Program;
