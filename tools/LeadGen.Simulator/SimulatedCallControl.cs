namespace LeadGen.Simulator;

/// <summary>
/// The REST side of a simulated call: when our server hangs up or redirects the call through the telephony provider,
/// Twilio ends the call's media stream (a <c>stop</c> message, then the socket closes) and, for a redirect, runs the
/// new TwiML instead. Give one to <see cref="SimulatedCallOptions.Control"/> and register it with
/// <see cref="SimulatorTelephonyProvider.Attach"/> under the call's CallSid.
/// </summary>
public sealed class SimulatedCallControl : IDisposable
{
    private readonly CancellationTokenSource _ended = new();

    /// <summary>Cancelled when the provider hung up or redirected the call.</summary>
    public CancellationToken StreamEnded => _ended.Token;

    public bool HungUp { get; private set; }

    /// <summary>The TwiML the call was redirected to (e.g. &lt;Say&gt;voicemail&lt;/Say&gt;&lt;Hangup/&gt;), if any.</summary>
    public string? RedirectedTo { get; private set; }

    internal void HangUp()
    {
        HungUp = true;
        _ended.Cancel();
    }

    internal void Redirect(string twiml)
    {
        RedirectedTo = twiml;
        _ended.Cancel();
    }

    public void Dispose() => _ended.Dispose();
}
