using System.Collections.Concurrent;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.Simulator;

/// <summary><c>Telephony:Simulator</c>: what the simulated callers the dialer "rings" say.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Mono 8 kHz WAV files the simulated lead says, one per turn (none: a silent caller who hangs up).</summary>
    public IList<string> CallerWavFiles { get; } = [];
}

/// <summary>
/// <c>Telephony:Provider=simulator</c>: "places" a call by running a <see cref="SimulatedCall"/> against our own voice
/// webhook (signed with <c>Twilio:AuthToken</c>, as Twilio would), so the dialer, webhooks, media stream and model
/// bridge all run end to end without a phone. Hang-up and redirect are recorded; the server closing the stream is
/// what ends a simulated call, as with <c>&lt;Connect&gt;&lt;Stream&gt;</c> on Twilio.
/// </summary>
public sealed class SimulatorTelephonyProvider(
    IOptions<TwilioOptions> twilio, IOptions<SimulatorOptions> simulator, ILogger<SimulatorTelephonyProvider> logger) : ITelephonyProvider, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<string, Task<SimulatedCallResult>> _calls = new();

    public string Name => TelephonyProviderNames.Simulator;

    /// <summary>Calls in flight or finished (for tests and the CLI), by provider call id.</summary>
    public IReadOnlyDictionary<string, Task<SimulatedCallResult>> Calls => _calls;

    public Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken)
    {
        var authToken = twilio.Value.AuthToken
            ?? throw new InvalidOperationException("The telephony simulator signs webhooks with Twilio:AuthToken; configure one (any secret value).");
        var script = new List<CallerStep>();
        foreach (var path in simulator.Value.CallerWavFiles)
        {
            script.Add(new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(700)));
            script.Add(new CallerStep.Say(WavFile.ReadAsMuLaw(path), Path.GetFileName(path)));
        }

        script.Add(new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(700)));
        var options = new SimulatedCallOptions
        {
            VoiceUrl = request.VoiceUrl,
            StatusCallbackUrl = request.StatusCallbackUrl,
            AuthToken = authToken,
            From = request.From,
            To = request.To,
            Script = script,
        };
        _calls[options.CallSid] = Task.Run(() => SimulatedCall.RunAsync(options, _http, CancellationToken.None), CancellationToken.None);
        logger.LogInformation("Simulated call {CallSid} placed for call {CallId}", options.CallSid, request.CallId);
        return Task.FromResult(new PlaceCallResult(options.CallSid, "queued"));
    }

    public Task HangUpAsync(string providerCallId, CancellationToken cancellationToken)
    {
        logger.LogInformation("Simulated call {CallSid}: hang-up requested", providerCallId);
        return Task.CompletedTask;
    }

    public Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken)
    {
        logger.LogInformation("Simulated call {CallSid}: redirected to {TwiML}", providerCallId, twiml);
        return Task.CompletedTask;
    }

    public void Dispose() => _http.Dispose();
}
