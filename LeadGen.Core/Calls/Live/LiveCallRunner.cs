using System.Net.WebSockets;
using LeadGen.Core.Calls.Control;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Recording;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Runs one live call over a transport that has already authenticated the person's connection: loads the call's
/// context, opens an engine session, wires them with a <see cref="CallCoordinator"/>, lists the call as live while it
/// runs, and always stores what was said and releases the call at the end. Every transport's endpoint calls this
/// (audio transports with the realtime voice engine, text transports with the text agent engine).
/// </summary>
public sealed class LiveCallRunner(
    IRealtimeVoiceClient engine,
    ICallContextProvider contexts,
    ICallEventSink sink,
    ILiveCallToolExecutor tools,
    LiveCallRegistry liveCalls,
    EngineAtCapacity atCapacity,
    CallMetrics metrics,
    TimeProvider time,
    ILogger<LiveCallRunner> logger,
    CallControlChannel control,
    CallRecorder? recorder = null)
{
    /// <summary>Runs an audio call: loads its context and opens a session of the realtime voice engine.</summary>
    /// <param name="providerCallId">The telephony provider's id for the call (Twilio CallSid), if any.</param>
    /// <param name="connectionId">The transport's id for this connection (Twilio StreamSid), shown in the live list.</param>
    public async Task RunAsync(Guid callId, string? providerCallId, string connectionId, ICallTransport transport, CancellationToken cancellationToken)
    {
        var context = await contexts.LoadAsync(callId, cancellationToken);
        IRealtimeVoiceSession session;
        try
        {
            session = await engine.ConnectAsync(
                new RealtimeSessionRequest(context.SystemInstruction, context.Tools, context.Voice, context.Language, context.TurnTaking), cancellationToken);
        }
        catch (RealtimeCapacityException exception)
        {
            await atCapacity.HandleAsync(context, transport, exception, cancellationToken);
            await transport.CloseAsync(CallCloseReason.Ended);
            return;
        }
        catch (Exception exception) when (exception is WebSocketException or InvalidOperationException or HttpRequestException or TimeoutException)
        {
            logger.LogError(exception, "Call {CallId}: could not open the voice engine session", callId);
            await transport.CloseAsync(CallCloseReason.EngineUnavailable);
            return;
        }

        await RunAsync(context, new RealtimeVoiceEngine(session), providerCallId, connectionId, transport, cancellationToken);
    }

    /// <summary>
    /// Runs a call whose context and engine are ready (a text transport opens the text engine with its own context).
    /// The engine is disposed with the call.
    /// </summary>
    public async Task RunAsync(LiveCallContext context, ICallEngine callEngine, string? providerCallId, string connectionId, ICallTransport transport, CancellationToken cancellationToken)
    {
        var callId = context.CallId;
        transport = new ControlledCallTransport(transport, control, callId, logger); // operators' hang-up/transfer from the console
        try
        {
            if (callEngine.Audio is { } audio)
            {
                transport.UseEngineAudio(audio);
            }
            else if (!transport.CarriesText)
            {
                throw new NotSupportedException("A text engine needs a transport that carries text.");
            }
        }
        catch (NotSupportedException exception)
        {
            logger.LogError(exception, "Call {CallId}: the engine's audio does not fit this transport", callId);
            await callEngine.DisposeAsync();
            await transport.CloseAsync(CallCloseReason.EngineUnavailable);
            return;
        }

        // Both directions recorded as they pass; text calls have no audio on our side (the provider speaks and listens).
        await using var recording = recorder is null || callEngine.Audio is not { } engineAudio
            ? null
            : await recorder.StartAsync(callId, engineAudio, cancellationToken);
        transport = recording?.Tap(transport) ?? transport;

        var coordinator = new CallCoordinator(context, transport, callEngine, sink, tools, metrics, time, logger);
        using var callEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, coordinator.Ended);
        metrics.ActiveCalls.Add(1);
        Task? engineLoop = null;
        try
        {
            await sink.StreamStartedAsync(callId, providerCallId, time.GetUtcNow(), cancellationToken);
            await liveCalls.StartedAsync(callId, providerCallId, connectionId, cancellationToken);
            engineLoop = coordinator.RunEngineAsync(callEnd.Token);
            await coordinator.StartAsync(callEnd.Token);
            await transport.ReceiveAsync(coordinator, callEnd.Token);
        }
        catch (OperationCanceledException) when (callEnd.IsCancellationRequested)
        {
            // Ended by the coordinator (hang-up/transfer) or by the host shutting down.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Logged with the call id; the finally block still stores what was said and releases the call.
            logger.LogError(exception, "Call {CallId}: live call failed", callId);
        }
        finally
        {
            await callEnd.CancelAsync();
            if (engineLoop is not null)
            {
                await engineLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await coordinator.DisposeAsync();
            await transport.CloseAsync(CallCloseReason.Ended);
            metrics.ActiveCalls.Add(-1);
            await liveCalls.EndedAsync(callId);
            await (recording?.SaveAsync() ?? Task.CompletedTask);
            logger.LogInformation("Call {CallId}: live call ended", callId);
        }
    }
}
