using System.Net.WebSockets;
using LeadGen.Core.Calls.Control;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Recording;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Runs one live call over a transport that has already authenticated the person's connection: loads the call's
/// context, opens an engine session, wires them with a <see cref="CallCoordinator"/>, lists the call as live while it
/// runs, and always stores what was said and releases the call at the end. Every transport's endpoint calls this.
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
    /// <param name="providerCallId">The telephony provider's id for the call (Twilio CallSid), if any.</param>
    /// <param name="connectionId">The transport's id for this connection (Twilio StreamSid), shown in the live list.</param>
    public async Task RunAsync(Guid callId, string? providerCallId, string connectionId, ICallTransport transport, CancellationToken cancellationToken)
    {
        transport = new ControlledCallTransport(transport, control, callId, logger); // operators' hang-up/transfer from the console
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

        try
        {
            transport.UseEngineAudio(session.Audio);
        }
        catch (NotSupportedException exception)
        {
            logger.LogError(exception, "Call {CallId}: the engine's audio does not fit this transport", callId);
            await session.DisposeAsync();
            await transport.CloseAsync(CallCloseReason.EngineUnavailable);
            return;
        }

        await using var recording = recorder is null ? null : await recorder.StartAsync(callId, session.Audio, cancellationToken);
        transport = recording?.Tap(transport) ?? transport; // both directions recorded as they pass

        var coordinator = new CallCoordinator(context, transport, session, sink, tools, metrics, time, logger);
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
            await sink.StreamEndedAsync(callId, time.GetUtcNow(), CancellationToken.None);
            await liveCalls.EndedAsync(callId);
            await (recording?.SaveAsync() ?? Task.CompletedTask);
            logger.LogInformation("Call {CallId}: live call ended", callId);
        }
    }
}
