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

    /// <summary>Run mode only, without Twilio credentials: the key the telephony simulator signs its webhooks with.</summary>
    public const string SimulatorSigningKey = "telephony-simulator-key";

    /// <summary>Plain (non-secret) parameter: the voice API's public https URL (Twilio webhooks, media stream).</summary>
    public const string PublicBaseUrl = "public-base-url";
}
