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
// A media relay: run the request's code on the socket's I/O thread and write each frame to the socket as it is made,
// instead of queueing both to the thread pool. With the default, the frames of a model reply that arrives in one burst
// were written only after the whole burst had been transcoded, so every frame waited ~1–2 ms (the calls benchmark's
// relay p99 was 12× the relay floor's; with this, on both servers, 1.3×). Safe here because nothing on these paths
// blocks a thread: every handler awaits.
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
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
