using LeadGen.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var data = builder.AddLeadGenDataStores();
var secrets = builder.AddLeadGenSecrets();

// A one-shot job: no launch profile, so it claims no HTTP endpoint (the worker resource owns the Worker's port).
var migrations = builder.AddProject<Projects.LeadGen_Worker>(ResourceNames.Migrations, options => options.ExcludeLaunchProfile = true)
    .WithArgs("migrate")
    .WithDataStores(data, includeCache: false);

builder.AddProject<Projects.LeadGen_VoiceApi>(ResourceNames.VoiceApi)
    .WithDataStores(data)
    .WaitForCompletion(migrations)
    .WithLeadGenSecrets(secrets, includeManagementKey: true)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.LeadGen_Worker>(ResourceNames.Worker)
    .WithDataStores(data)
    .WaitForCompletion(migrations)
    .WithLeadGenSecrets(secrets, includeManagementKey: false)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
