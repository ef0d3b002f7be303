using LeadGen.Core.Agent;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Leads;
using LeadGen.Core.Persistence;
using LeadGen.Core.Queue;
using LeadGen.Core.Telephony;
using LeadGen.Simulator;
using LeadGen.VoiceApi;
using LeadGen.VoiceApi.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLeadGenDataStores();
builder.AddLeadGenCampaigns();
builder.AddLeadGenLeads();
builder.AddLeadGenCalls();
builder.AddLeadGenCompliance();
builder.AddLeadGenJobQueue();
builder.AddLeadGenTelephonySimulator(); // only with Telephony:Provider=simulator (the local stack without Twilio)
builder.AddLeadGenTelephonyProvider();
builder.AddLeadGenTelephony();
builder.AddLeadGenLiveCalls();
builder.AddLeadGenGemini();
builder.AddLeadGenGeminiLive();
builder.AddLeadGenAgent();
builder.Services.AddProblemDetails();
// A query value that does not bind (e.g. callId=not-a-guid) is the caller's error: its 400, not a 500 (Development throws it).
builder.Services.Configure<ExceptionHandlerOptions>(options =>
    options.StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
builder.Services.AddHostedService<StartupSelfCheck>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.UseLeadGenTelephony();
app.MapGet("/", () => Results.Text("LeadGen Voice API: Twilio webhooks and media streams. Probes: /health, /alive. The management API (/api) is served by the console."));
await app.RunAsync();

/// <summary>Lets integration tests host this app (WebApplicationFactory / Aspire testing).</summary>
public partial class Program;
