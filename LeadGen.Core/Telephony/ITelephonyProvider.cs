namespace LeadGen.Core.Telephony;

/// <summary>
/// Places and controls phone calls. Implementations: Twilio (REST Calls API) and the telephony simulator
/// (<c>Telephony:Provider</c> = twilio | simulator). Contract shared by the dialer (place-call jobs) and live calls.
/// </summary>
public interface ITelephonyProvider
{
    /// <summary>The provider's name as configured (e.g. "twilio", "simulator"), recorded on each call.</summary>
    string Name { get; }

    /// <summary>Starts an outbound call; returns the provider's call id (Twilio: the CallSid).</summary>
    Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken);

    /// <summary>Ends a live call.</summary>
    Task HangUpAsync(string providerCallId, CancellationToken cancellationToken);

    /// <summary>Replaces what a live call is doing with new TwiML (e.g. a &lt;Dial&gt; to transfer to a human).</summary>
    Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken);

    /// <summary>
    /// The provider's own view of a call (Twilio: the Call resource), for calls whose events stopped arriving; null when
    /// the provider does not know the call.
    /// </summary>
    Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken);
}

/// <param name="Status">In our vocabulary (<c>CallStatuses</c>: in_progress, no_answer, …).</param>
/// <param name="DurationSeconds">Length of a finished call, when the provider says.</param>
public sealed record ProviderCallStatus(string Status, int? DurationSeconds);

/// <param name="CallId">Our call id (calls.id), echoed back in webhooks.</param>
/// <param name="To">E.164 number to dial.</param>
/// <param name="From">E.164 caller ID (the campaign's, else Twilio:FromNumber).</param>
/// <param name="VoiceUrl">Absolute URL the provider fetches TwiML from when the call connects.</param>
/// <param name="StatusCallbackUrl">Absolute URL for call status events.</param>
/// <param name="DetectAnsweringMachine">Ask for asynchronous answering-machine detection.</param>
public sealed record PlaceCallRequest(
    Guid CallId,
    string To,
    string From,
    Uri VoiceUrl,
    Uri StatusCallbackUrl,
    bool DetectAnsweringMachine);

public sealed record PlaceCallResult(string ProviderCallId, string Status);
