using System.Collections.Concurrent;
using LeadGen.Core.Calls;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Simulator;

/// <summary><c>Telephony:Simulator</c>: what the simulated callers the dialer "rings" say.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Mono 8 kHz WAV files the simulated lead says, one per turn (none: a silent caller who hangs up).</summary>
    public IList<string> CallerWavFiles { get; } = [];

    /// <summary>
    /// The answering-machine detection result reported for calls placed with detection on (after the agent's opening):
    /// human (default), or e.g. machine_end_beep to see the campaign's voicemail policy applied; empty: no result.
    /// </summary>
    public string? AnsweredBy { get; set; } = AnsweringMachineDetection.Human;

    /// <summary>
    /// Simulated leads are personas (<see cref="PersonaCatalog"/>, chosen by the dialled number) talking over
    /// ConversationRelay, for campaigns in conversation_relay mode; CallerWavFiles and AnsweredBy are then not used.
    /// </summary>
    public bool Personas { get; set; }

    /// <summary>How fast the persona calls "play" the agent's words (words a minute; real speech is ~160).</summary>
    public double PersonaWordsPerMinute { get; set; } = 160;
}

/// <summary>
/// <c>Telephony:Provider=simulator</c>: "places" a call by running a <see cref="SimulatedCall"/> against our own voice
/// webhook (signed with <c>Twilio:AuthToken</c>, as Twilio would), so the dialer, webhooks, media stream and model
/// bridge all run end to end without a phone. Hang-up and redirect requests are recorded (<see cref="Commands"/>) and,
/// for calls attached with a <see cref="SimulatedCallControl"/> (every call this provider places, and any a test
/// attaches), end the media stream as Twilio does. The redirected TwiML itself is not "played"; it is recorded.
/// </summary>
public sealed partial class SimulatorTelephonyProvider(
    IOptions<TwilioOptions> twilio, IOptions<SimulatorOptions> simulator, ILogger<SimulatorTelephonyProvider> logger) : ITelephonyProvider, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<string, Task<SimulatedCallResult>> _calls = new();
    private readonly ConcurrentDictionary<string, SimulatedCallControl> _controls = new();
    private readonly ConcurrentQueue<SimulatorCommand> _commands = new();

    public string Name => TelephonyProviderNames.Simulator;

    /// <summary>Calls in flight or finished (for tests and the CLI), by provider call id.</summary>
    public IReadOnlyDictionary<string, Task<SimulatedCallResult>> Calls => _calls;

    /// <summary>Every hang-up and redirect the server asked for, in order.</summary>
    public IReadOnlyCollection<SimulatorCommand> Commands => _commands;

    /// <summary>Lets hang-up/redirect requests for <paramref name="callSid"/> end that simulated call's stream.</summary>
    public void Attach(string callSid, SimulatedCallControl control) => _controls[callSid] = control;

    public Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken)
    {
        var authToken = twilio.Value.AuthToken
            ?? throw new InvalidOperationException("The telephony simulator signs webhooks with Twilio:AuthToken; configure one (any secret value).");
        if (simulator.Value.Personas)
        {
            return Task.FromResult(PlacePersonaCall(request, authToken));
        }

        // The lead waits for the agent before each utterance, and for its last words before hanging up.
        var script = new List<CallerStep>();
        var waitForAgent = new CallerStep.WaitForAgent(TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(700));
        var amdUrl = request.DetectAnsweringMachine ? AmdCallbackUrl(request.VoiceUrl) : null;
        var answeredBy = amdUrl is null ? null : simulator.Value.AnsweredBy;
        if (answeredBy is { Length: > 0 })
        {
            // Twilio's async AMD reports while the call is already connected; here once the opening has played.
            // A machine result ends the call through this provider (hang-up or voicemail redirect); a person goes on.
            script.Add(waitForAgent);
            script.Add(new CallerStep.AnsweringMachineResult(answeredBy));
        }

        foreach (var path in simulator.Value.CallerWavFiles)
        {
            if (script.Count == 0 || script[^1] is not CallerStep.AnsweringMachineResult)
            {
                script.Add(waitForAgent);
            }

            script.Add(new CallerStep.Say(WavFile.ReadAsMuLaw(path), Path.GetFileName(path)));
        }

        if (script.Count == 0 || script[^1] is CallerStep.Say)
        {
            script.Add(waitForAgent);
        }

        var options = new SimulatedCallOptions
        {
            VoiceUrl = request.VoiceUrl,
            StatusCallbackUrl = request.StatusCallbackUrl,
            AmdCallbackUrl = amdUrl,
            AuthToken = authToken,
            From = request.From,
            To = request.To,
            Script = script,
            Control = new SimulatedCallControl(),
        };
        Attach(options.CallSid, options.Control);
        _calls[options.CallSid] = Task.Run(
            async () =>
            {
                using var control = options.Control;
                try
                {
                    return await SimulatedCall.RunAsync(options, _http, CancellationToken.None);
                }
                finally
                {
                    _controls.TryRemove(options.CallSid, out _);
                }
            },
            CancellationToken.None);
        logger.LogInformation("Simulated call {CallSid} placed for call {CallId}", options.CallSid, request.CallId);
        return Task.FromResult(new PlaceCallResult(options.CallSid, "queued"));
    }

    /// <summary>Our AMD webhook next to the voice webhook the dialer gave (same base URL and callId); null if it is not ours.</summary>
    private static Uri? AmdCallbackUrl(Uri voiceUrl)
    {
        var builder = new UriBuilder(voiceUrl);
        if (!builder.Path.EndsWith(TwilioWebhooks.VoicePath, StringComparison.Ordinal))
        {
            return null;
        }

        builder.Path = builder.Path[..^TwilioWebhooks.VoicePath.Length] + TwilioWebhooks.AmdPath;
        return builder.Uri;
    }

    public Task HangUpAsync(string providerCallId, CancellationToken cancellationToken)
    {
        logger.LogInformation("Simulated call {CallSid}: hang-up requested", providerCallId);
        _commands.Enqueue(new SimulatorCommand(providerCallId, SimulatorCommand.HangUp, null));
        if (_controls.TryRemove(providerCallId, out var control))
        {
            control.HangUp();
        }

        return Task.CompletedTask;
    }

    public Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken)
    {
        logger.LogInformation("Simulated call {CallSid}: redirected to {TwiML}", providerCallId, twiml);
        _commands.Enqueue(new SimulatorCommand(providerCallId, SimulatorCommand.Redirect, twiml));
        if (_controls.TryRemove(providerCallId, out var control))
        {
            control.Redirect(twiml);
        }

        return Task.CompletedTask;
    }

    /// <summary>What this process knows of its simulated calls: running, finished (or failed to run); null if not placed here.</summary>
    public Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken) =>
        Task.FromResult(_calls.TryGetValue(providerCallId, out var call)
            ? new ProviderCallStatus(!call.IsCompleted ? CallStatuses.InProgress : call.IsCompletedSuccessfully ? CallStatuses.Completed : CallStatuses.Failed, null)
            : null);

    public void Dispose() => _http.Dispose();
}

/// <param name="Kind"><see cref="HangUp"/> or <see cref="Redirect"/>.</param>
/// <param name="TwiML">The TwiML of a redirect.</param>
public sealed record SimulatorCommand(string CallSid, string Kind, string? TwiML)
{
    public const string HangUp = "hang-up";
    public const string Redirect = "redirect";
}
