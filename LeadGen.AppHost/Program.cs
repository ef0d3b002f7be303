using LeadGen.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var data = builder.AddLeadGenDataStores();
var secrets = builder.AddLeadGenSecrets();

var migrations = builder.AddProject<Projects.LeadGen_Worker>(ResourceNames.Migrations)
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
