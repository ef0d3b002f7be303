using LeadGen.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var data = builder.AddLeadGenDataStores();
var secrets = builder.AddLeadGenSecrets();

// A one-shot job: no launch profile, so it claims no HTTP endpoint (the worker resource owns the Worker's port).
var migrations = builder.AddProject<Projects.LeadGen_Worker>(ResourceNames.Migrations, options => options.ExcludeLaunchProfile = true)
    .WithArgs("migrate")
    .WithDataStores(data, includeCache: false);

var voiceApi = builder.AddProject<Projects.LeadGen_VoiceApi>(ResourceNames.VoiceApi)
    .WithDataStores(data)
    .WaitForCompletion(migrations)
    .WithLeadGenSecrets(secrets, SecretConsumer.VoiceApi) // /api is served by the console
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");
var publicBaseUrl = builder.AddLeadGenPublicBaseUrl(voiceApi);
voiceApi.WithPublicBaseUrl(publicBaseUrl);

var worker = builder.AddProject<Projects.LeadGen_Worker>(ResourceNames.Worker)
    .WithDataStores(data)
    .WaitForCompletion(migrations)
    .WithLeadGenSecrets(secrets, SecretConsumer.Worker)
    .WithPublicBaseUrl(publicBaseUrl) // the dialer's Twilio callback URLs
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.LeadGen_Console>(ResourceNames.Console)
    .WithDataStores(data)
    .WaitForCompletion(migrations)
    .WithLeadGenSecrets(secrets, SecretConsumer.Console)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

if (builder.ExecutionContext.IsRunMode)
{
    // Locally, leads the telephony simulator dials are personas talking over ConversationRelay (the demo campaign's).
    worker.WithEnvironment("Telephony__Simulator__Personas", "true");
}

builder.AddLeadGenStartupSummary();
builder.UseLocalHttpOnly();

builder.Build().Run();
