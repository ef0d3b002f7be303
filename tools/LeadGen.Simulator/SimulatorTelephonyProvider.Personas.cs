using System.Collections.Concurrent;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.Logging;

namespace LeadGen.Simulator;

/// <summary>Persona calls (<c>Telephony:Simulator:Personas=true</c>): the dialled number's persona talks over ConversationRelay.</summary>
public sealed partial class SimulatorTelephonyProvider
{
    private readonly ConcurrentDictionary<string, Task<SimulatedRelayCallResult>> _relayCalls = new();

    /// <summary>Persona calls in flight or finished, by provider call id.</summary>
    public IReadOnlyDictionary<string, Task<SimulatedRelayCallResult>> RelayCalls => _relayCalls;

    private PlaceCallResult PlacePersonaCall(PlaceCallRequest request, string authToken)
    {
        var persona = PersonaCatalog.Default.ForPhone(request.To);
        var options = new SimulatedRelayCallOptions
        {
            VoiceUrl = request.VoiceUrl,
            StatusCallbackUrl = request.StatusCallbackUrl,
            AmdCallbackUrl = request.DetectAnsweringMachine ? AmdCallbackUrl(request.VoiceUrl) : null,
            AnsweredBy = request.DetectAnsweringMachine ? (persona.Voicemail ? AnsweringMachineDetection.MachineEndBeep : AnsweringMachineDetection.Human) : null,
            AuthToken = authToken,
            Caller = new PersonaCaller(persona),
            From = request.From,
            To = request.To,
            WordsPerMinute = simulator.Value.PersonaWordsPerMinute,
            Control = new SimulatedCallControl(),
        };
        Attach(options.CallSid, options.Control);
        _relayCalls[options.CallSid] = Task.Run(
            async () =>
            {
                using var control = options.Control;
                try
                {
                    var result = await SimulatedRelayCall.RunAsync(options, _http, CancellationToken.None);
                    if (!result.SocketOpened && result.VoiceStatusCode == 200)
                    {
                        logger.LogWarning("Simulated call {CallSid}: the voice webhook did not answer with ConversationRelay (a native-audio campaign?); the persona hung up", options.CallSid);
                    }

                    return result;
                }
                catch (Exception exception) when (exception is HttpRequestException or System.Net.WebSockets.WebSocketException or TaskCanceledException)
                {
                    logger.LogWarning(exception, "Simulated call {CallSid} failed", options.CallSid);
                    throw;
                }
                finally
                {
                    _controls.TryRemove(options.CallSid, out _);
                }
            },
            CancellationToken.None);
        logger.LogInformation("Simulated call {CallSid} placed for call {CallId}: persona {Persona}", options.CallSid, request.CallId, persona.Id);
        return new PlaceCallResult(options.CallSid, "queued");
    }
}
