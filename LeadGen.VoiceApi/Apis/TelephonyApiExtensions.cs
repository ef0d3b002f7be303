namespace LeadGen.VoiceApi.Apis;

/// <summary>The VoiceApi's public surface: one line in Program.cs.</summary>
internal static class TelephonyApiExtensions
{
    /// <summary>WebSockets plus the Twilio webhooks, the media stream and ConversationRelay's endpoints.</summary>
    public static WebApplication UseLeadGenTelephony(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.MapTwilioWebhooks();
        app.MapConversationRelay();
        return app;
    }
}
