namespace LeadGen.AppHost;

/// <summary>Resource names shared with the publisher, the tests and DESIGN.md; keep them stable.</summary>
internal static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = "leadgendb";
    public const string Cache = "cache";
    public const string Migrations = "migrations";
    public const string VoiceApi = "voiceapi";
    public const string Worker = "worker";
    public const string Console = "console";

    public const string ManagementApiKey = "management-api-key";
    public const string GeminiApiKey = "gemini-api-key";
    public const string TwilioAuthToken = "twilio-auth-token";
    public const string TwilioAccountSid = "twilio-account-sid";
    public const string TwilioApiKeySid = "twilio-api-key-sid";
    public const string TwilioApiKeySecret = "twilio-api-key-secret";
    public const string StreamTokenKey = "stream-token-key";
    public const string ConsoleOidcClientId = "console-oidc-client-id";
    public const string ConsoleOidcClientSecret = "console-oidc-client-secret";

    /// <summary>The console's allow-list (e-mail addresses: personal data, so a secret, never a plain value).</summary>
    public const string ConsoleRoleList = "console-role-list";

    /// <summary>Run mode only, without Twilio credentials: the key the telephony simulator signs its webhooks with.</summary>
    public const string SimulatorSigningKey = "telephony-simulator-key";

    /// <summary>Plain (non-secret) parameter: the voice API's public https URL (Twilio webhooks, media stream).</summary>
    public const string PublicBaseUrl = "public-base-url";
}
