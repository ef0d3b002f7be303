using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Stand-in telephony provider until the Twilio and simulator providers are registered: it dials nobody, it records
/// each request (kept in memory and logged without the number) and answers with a made-up call id. The Worker
/// registers it only when no other <see cref="ITelephonyProvider"/> is registered. Calls it "places" never progress
/// (no status callbacks arrive), so they keep their campaign's call slots until ended by other means.
/// </summary>
public sealed class RecordingTelephonyProvider(ILogger<RecordingTelephonyProvider> logger) : ITelephonyProvider
{
    public const string ProviderName = "recording";

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
}
