using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// An action the agent asked for that waits for its last words to be heard (hang up after the goodbye, transfer after
/// "connecting you now"). It runs when the agent's turn has played out, or after <see cref="Timeout"/> if that never
/// happens (the engine stays silent, the transport never confirms); either way once, and then the call ends.
/// </summary>
public sealed class PendingCallAction(ICallTransport transport, TimeProvider time, ILogger logger, Guid callId, Func<Task> endCall)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private CallIntent? _pending;
    private string? _toolCallId;

    public bool IsPending
    {
        get
        {
            lock (_gate)
            {
                return _pending is not null;
            }
        }
    }

    /// <summary>Replaces any earlier pending action and arms the timeout (cancelled when the call ends).</summary>
    /// <param name="toolCallId">The model's tool call that asked for it, so a withdrawn call can take it back.</param>
    public void Set(CallIntent intent, CancellationToken callEnded, string? toolCallId = null)
    {
        lock (_gate)
        {
            _pending = intent;
            _toolCallId = toolCallId;
        }

        _ = RunAfterTimeoutAsync(callEnded);
    }

    /// <summary>Drops the pending action if one of <paramref name="toolCallIds"/> asked for it (the model withdrew it).</summary>
    public bool Withdraw(IReadOnlyCollection<string> toolCallIds)
    {
        lock (_gate)
        {
            if (_pending is null || _toolCallId is null || !toolCallIds.Contains(_toolCallId))
            {
                return false;
            }

            (_pending, _toolCallId) = (null, null);
            return true;
        }
    }

    /// <summary>Carries out the pending action, if any, and ends the call.</summary>
    /// <returns>False when nothing was pending (already done, or never asked for).</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        CallIntent? intent;
        lock (_gate)
        {
            intent = _pending;
            (_pending, _toolCallId) = (null, null);
        }

        if (intent is null)
        {
            return false;
        }

        try
        {
            logger.LogInformation("Call {CallId}: {Action}", callId, intent is TransferToHuman ? "transferring to a human" : "hanging up");
            await transport.CarryOutAsync(intent, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            logger.LogWarning(exception, "Call {CallId}: {Action} failed; ending the call", callId, intent.GetType().Name);
        }

        // Closing the person's connection ends the call (or the transfer has taken it over).
        await endCall();
        return true;
    }

    private async Task RunAfterTimeoutAsync(CancellationToken callEnded)
    {
        try
        {
            await Task.Delay(Timeout, time, callEnded);
            await RunAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The call ended before the timeout.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    }
}
