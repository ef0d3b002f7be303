using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>The engine when none is registered: not configured, so the voice webhook says so and hangs up.</summary>
internal sealed class NoVoiceEngine : IRealtimeVoiceClient
{
    public bool IsConfigured => false;

    public Task<IRealtimeVoiceSession> ConnectAsync(RealtimeSessionRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No voice engine is registered (AddLeadGenGeminiLive).");
}
