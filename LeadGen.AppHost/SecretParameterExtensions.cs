using Aspire.Hosting.ApplicationModel;

namespace LeadGen.AppHost;

/// <summary>Which service a set of secrets is for: each gets only what it uses (least privilege in Secret Manager too).</summary>
internal enum SecretConsumer
{
    /// <summary>Twilio's webhooks and media streams: validates signatures (auth token), signs stream tokens, REST hang-up/transfer.</summary>
    VoiceApi,

    /// <summary>The dialer and jobs: places and checks calls over Twilio's REST API.</summary>
    Worker,

    /// <summary>The operators' web app and /api: the management key, people's sign-in (OIDC client), live-call actions.</summary>
    Console,
}

/// <summary>The secret parameters named in DESIGN.md; <c>null</c> where run mode has no value for an optional one.</summary>
/// <param name="SimulatedTelephony">Run mode without Twilio credentials: the services dial the telephony simulator, and
/// <paramref name="TwilioAuthToken"/> is a local signing key for its webhooks (not a Twilio credential).</param>
internal sealed record LeadGenSecrets(
    IResourceBuilder<ParameterResource> ManagementApiKey,
    IResourceBuilder<ParameterResource>? GeminiApiKey,
    IResourceBuilder<ParameterResource>? TwilioAuthToken,
    bool SimulatedTelephony = false)
{
    /// <summary>Twilio's REST API: the account, and the API key (SID + secret) that authenticates for it.</summary>
    public IResourceBuilder<ParameterResource>? TwilioAccountSid { get; init; }

    public IResourceBuilder<ParameterResource>? TwilioApiKeySid { get; init; }

    public IResourceBuilder<ParameterResource>? TwilioApiKeySecret { get; init; }

    /// <summary>Signs media-stream and ConversationRelay tokens; rotates apart from Twilio's credentials.</summary>
    public IResourceBuilder<ParameterResource>? StreamTokenKey { get; init; }

    /// <summary>The console's OpenID Connect client (people's sign-in).</summary>
    public IResourceBuilder<ParameterResource>? ConsoleOidcClientId { get; init; }

    public IResourceBuilder<ParameterResource>? ConsoleOidcClientSecret { get; init; }

    /// <summary>Who may sign in to the console with which role (<c>Auth:RoleList</c>).</summary>
    public IResourceBuilder<ParameterResource>? ConsoleRoleList { get; init; }
}

internal static class SecretParameterExtensions
{
    /// <summary>
    /// Publish mode declares every secret as a secret input (the publisher maps each to its own Secret Manager secret,
    /// so rotating one rotates nothing else). Run mode generates a local management key and stream-token key (shown,
    /// masked, on the dashboard's parameters) and passes the Gemini/Twilio/OIDC secrets only when configured
    /// (<c>Parameters:gemini-api-key</c>, ...): without them the services run offline, and without a Twilio token they
    /// dial the telephony simulator (<c>Telephony__Provider=simulator</c>, local signing key).
    /// </summary>
    public static LeadGenSecrets AddLeadGenSecrets(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new LeadGenSecrets(
                builder.AddParameter(ResourceNames.ManagementApiKey, secret: true),
                builder.AddParameter(ResourceNames.GeminiApiKey, secret: true),
                builder.AddParameter(ResourceNames.TwilioAuthToken, secret: true))
            {
                TwilioAccountSid = builder.AddParameter(ResourceNames.TwilioAccountSid, secret: true),
                TwilioApiKeySid = builder.AddParameter(ResourceNames.TwilioApiKeySid, secret: true),
                TwilioApiKeySecret = builder.AddParameter(ResourceNames.TwilioApiKeySecret, secret: true),
                StreamTokenKey = builder.AddParameter(ResourceNames.StreamTokenKey, secret: true),
                ConsoleOidcClientId = builder.AddParameter(ResourceNames.ConsoleOidcClientId, secret: true),
                ConsoleOidcClientSecret = builder.AddParameter(ResourceNames.ConsoleOidcClientSecret, secret: true),
                ConsoleRoleList = builder.AddParameter(ResourceNames.ConsoleRoleList, secret: true),
            };
        }

        var localSecrets = new LocalSecretStore(LocalSecretStore.DirectoryFor(builder), builder.Configuration);
        var twilio = OptionalSecret(builder, ResourceNames.TwilioAuthToken);
        // Without Twilio credentials a local run dials the telephony simulator (a started campaign really "calls"
        // simulated leads), which signs its webhooks with a local key both services share.
        var simulated = twilio is null;
        twilio ??= builder.AddParameter(ResourceNames.SimulatorSigningKey, localSecrets.GetOrCreate(ResourceNames.SimulatorSigningKey), secret: true);
        return new LeadGenSecrets(
            builder.AddParameter(ResourceNames.ManagementApiKey, localSecrets.GetOrCreate(ResourceNames.ManagementApiKey), secret: true),
            OptionalSecret(builder, ResourceNames.GeminiApiKey),
            twilio,
            simulated)
        {
            TwilioAccountSid = OptionalSecret(builder, ResourceNames.TwilioAccountSid),
            TwilioApiKeySid = OptionalSecret(builder, ResourceNames.TwilioApiKeySid),
            TwilioApiKeySecret = OptionalSecret(builder, ResourceNames.TwilioApiKeySecret),
            StreamTokenKey = builder.AddParameter(ResourceNames.StreamTokenKey, localSecrets.GetOrCreate(ResourceNames.StreamTokenKey), secret: true),
            ConsoleOidcClientId = OptionalSecret(builder, ResourceNames.ConsoleOidcClientId),
            ConsoleOidcClientSecret = OptionalSecret(builder, ResourceNames.ConsoleOidcClientSecret),
            ConsoleRoleList = OptionalSecret(builder, ResourceNames.ConsoleRoleList),
        };
    }

    /// <summary>The secrets <paramref name="consumer"/> uses, as environment variables (configuration keys).</summary>
    public static IResourceBuilder<ProjectResource> WithLeadGenSecrets(
        this IResourceBuilder<ProjectResource> project, LeadGenSecrets secrets, SecretConsumer consumer)
    {
        if (consumer == SecretConsumer.Console)
        {
            project.WithEnvironment("ManagementApi__ApiKey", secrets.ManagementApiKey);
            WithOptional(project, "Auth__Oidc__ClientId", secrets.ConsoleOidcClientId);
            WithOptional(project, "Auth__Oidc__ClientSecret", secrets.ConsoleOidcClientSecret);
            WithOptional(project, "Auth__RoleList", secrets.ConsoleRoleList);
        }

        WithOptional(project, "Gemini__ApiKey", secrets.GeminiApiKey);
        WithOptional(project, "Twilio__AccountSid", secrets.TwilioAccountSid);
        WithOptional(project, "Twilio__ApiKeySid", secrets.TwilioApiKeySid);
        WithOptional(project, "Twilio__ApiKeySecret", secrets.TwilioApiKeySecret);

        // The auth token validates Twilio's webhooks, which only the voice API receives. Others get it only in run mode:
        // the simulator signs the webhooks it sends with that local key, and without an API key the REST API falls back
        // to it. Publish mode always has an API key, so in Cloud Run only the voice API can read the auth token.
        if (consumer == SecretConsumer.VoiceApi || secrets.SimulatedTelephony || secrets.TwilioApiKeySid is null)
        {
            WithOptional(project, "Twilio__AuthToken", secrets.TwilioAuthToken);
        }

        if (consumer == SecretConsumer.VoiceApi)
        {
            WithOptional(project, "Telephony__StreamTokenKey", secrets.StreamTokenKey);
        }

        if (secrets.SimulatedTelephony)
        {
            project.WithEnvironment("Telephony__Provider", "simulator");
        }

        return project;
    }

    private static void WithOptional(IResourceBuilder<ProjectResource> project, string name, IResourceBuilder<ParameterResource>? parameter)
    {
        if (parameter is not null)
        {
            project.WithEnvironment(name, parameter);
        }
    }

    private static IResourceBuilder<ParameterResource>? OptionalSecret(IDistributedApplicationBuilder builder, string name) =>
        string.IsNullOrEmpty(builder.Configuration[$"Parameters:{name}"]) ? null : builder.AddParameter(name, secret: true);
}
