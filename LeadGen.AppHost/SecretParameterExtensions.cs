using Aspire.Hosting.ApplicationModel;

namespace LeadGen.AppHost;

/// <summary>The secret parameters named in DESIGN.md; <c>null</c> where run mode has no value for an optional one.</summary>
internal sealed record LeadGenSecrets(
    IResourceBuilder<ParameterResource> ManagementApiKey,
    IResourceBuilder<ParameterResource>? GeminiApiKey,
    IResourceBuilder<ParameterResource>? TwilioAuthToken);

internal static class SecretParameterExtensions
{
    /// <summary>
    /// Publish mode declares all three as secret inputs (the publisher maps them to Secret Manager). Run mode generates
    /// a local management key (shown, masked, on the dashboard's parameters) and passes the Gemini/Twilio secrets only
    /// when configured (<c>Parameters:gemini-api-key</c>, ...): without them the services run offline.
    /// </summary>
    public static LeadGenSecrets AddLeadGenSecrets(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new LeadGenSecrets(
                builder.AddParameter(ResourceNames.ManagementApiKey, secret: true),
                builder.AddParameter(ResourceNames.GeminiApiKey, secret: true),
                builder.AddParameter(ResourceNames.TwilioAuthToken, secret: true));
        }

        var localSecrets = new LocalSecretStore(LocalSecretStore.DirectoryFor(builder), builder.Configuration);
        return new LeadGenSecrets(
            builder.AddParameter(ResourceNames.ManagementApiKey, localSecrets.GetOrCreate(ResourceNames.ManagementApiKey), secret: true),
            OptionalSecret(builder, ResourceNames.GeminiApiKey),
            OptionalSecret(builder, ResourceNames.TwilioAuthToken));
    }

    public static IResourceBuilder<ProjectResource> WithLeadGenSecrets(
        this IResourceBuilder<ProjectResource> project, LeadGenSecrets secrets, bool includeManagementKey)
    {
        if (includeManagementKey)
        {
            project.WithEnvironment("ManagementApi__ApiKey", secrets.ManagementApiKey);
        }

        if (secrets.GeminiApiKey is not null)
        {
            project.WithEnvironment("Gemini__ApiKey", secrets.GeminiApiKey);
        }

        if (secrets.TwilioAuthToken is not null)
        {
            project.WithEnvironment("Twilio__AuthToken", secrets.TwilioAuthToken);
        }

        return project;
    }

    private static IResourceBuilder<ParameterResource>? OptionalSecret(IDistributedApplicationBuilder builder, string name) =>
        string.IsNullOrEmpty(builder.Configuration[$"Parameters:{name}"]) ? null : builder.AddParameter(name, secret: true);
}
