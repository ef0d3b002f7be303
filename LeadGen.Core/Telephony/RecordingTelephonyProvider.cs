using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Stand-in telephony provider until the Twilio and simulator providers are registered: it dials nobody, it records
/// each request (kept in memory and logged without the number) and answers with a made-up call id. The Worker
/// registers it only when no other <see cref="ITelephonyProvider"/> is registered. Calls it "places" never progress
/// (no status callbacks arrive): the call reaper fails them once they pass their status's bound, and the API refuses
/// to start a campaign while this is the provider.
/// </summary>
public sealed class RecordingTelephonyProvider(ILogger<RecordingTelephonyProvider> logger) : ITelephonyProvider
{
    public const string ProviderName = "recording";

    /// <summary>What to configure so calls are really placed (the API's 409 when a campaign is started without it).</summary>
    public const string NotConfiguredDetail =
        "No telephony provider is configured, so nobody would be dialled. Set Telephony:Provider for the voiceapi and the worker: "
        + "'twilio' with Twilio:AccountSid, Twilio:ApiKeySid + Twilio:ApiKeySecret (REST), Twilio:AuthToken (webhook signatures), "
        + "Twilio:FromNumber (or the campaign's callerId) and PublicBaseUrl, "
        + "or 'simulator' (simulated leads; Twilio:AuthToken any value, used to sign its webhooks). "
        + "Locally, ./run.sh passes Telephony__Provider=simulator when no Twilio credentials are set.";

    /// <summary>True for this stand-in: a provider that places no real or simulated call.</summary>
    public static bool IsStandIn(ITelephonyProvider provider) => provider?.Name == ProviderName;

    private readonly ConcurrentQueue<PlaceCallRequest> _placed = new();

    public string Name => ProviderName;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyCollection<PlaceCallRequest> PlacedCalls => _placed;

    public Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _placed.Enqueue(request);
        logger.LogInformation("Recording telephony provider: call {CallId} recorded, not dialled (no real provider configured)", request.CallId);
        return Task.FromResult(new PlaceCallResult($"REC{request.CallId:N}", "queued"));
    }

    public Task HangUpAsync(string providerCallId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>It dialled nobody, so it knows no call: the reaper ends such calls as failed.</summary>
    public Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken) => Task.FromResult<ProviderCallStatus?>(null);
}
