using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Control;

/// <summary>
/// Any transport, plus the operators' commands for its call (<see cref="CallControlChannel"/>): while the person's side
/// is being read, a hang-up or transfer command is carried out through the transport itself (Twilio: the REST call
/// update; a browser: its hangup message) and the person's side ends, which ends the call like the person leaving.
/// Without Redis the call goes on without remote control (logged), never fails for it.
/// </summary>
public sealed class ControlledCallTransport(ICallTransport inner, CallControlChannel channel, Guid callId, ILogger logger) : ICallTransport
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(3);

    public bool CanTransfer => inner.CanTransfer;

    public bool CarriesText => inner.CarriesText;

    public string? SpokenGreeting => inner.SpokenGreeting;

    public TimeSpan? SilenceTimeout => inner.SilenceTimeout;

    public ValueTask SendAgentTextAsync(int turn, string text, CancellationToken cancellationToken) => inner.SendAgentTextAsync(turn, text, cancellationToken);

    public void UseEngineAudio(EngineAudioFormat format) => inner.UseEngineAudio(format);

    public async Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken)
    {
        var commands = new TaskCompletionSource<CallIntent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receive = inner.ReceiveAsync(events, reading.Token);
        // Subscribed beside the reading, not before it: a slow or absent Redis must not hold up the person's audio.
        var subscribing = ListenAsync(commands);
        try
        {
            if (await Task.WhenAny(receive, commands.Task) == receive)
            {
                await receive;
                return;
            }

            var intent = await commands.Task;
            logger.LogInformation("Call {CallId}: an operator asked to {Action}", callId, intent is TransferToHuman ? "transfer it to a human" : "hang up");
            try
            {
                await inner.CarryOutAsync(intent, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
            {
                logger.LogWarning(exception, "Call {CallId}: the operator's {Action} failed; ending the call", callId, intent.GetType().Name);
            }

            // Close the person's side properly (Twilio would end the stream itself; a browser gets a close frame), and
            // let the reading see that close; only a side that does not answer is cut off.
            await inner.CloseAsync(CallCloseReason.Ended);
            if (await Task.WhenAny(receive, Task.Delay(CloseWait, CancellationToken.None)) != receive)
            {
                await reading.CancelAsync();
            }

            await receive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            if (await subscribing is { } subscription)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    private async Task<IAsyncDisposable?> ListenAsync(TaskCompletionSource<CallIntent> commands)
    {
        try
        {
            return await channel.ListenAsync(callId, command =>
            {
                if (command.ToIntent() is not { } intent || (intent is TransferToHuman && !inner.CanTransfer))
                {
                    logger.LogWarning("Call {CallId}: ignored an operator command this call cannot carry out ({Action})", callId, command.Action);
                    return;
                }

                commands.TrySetResult(intent);
            });
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Call {CallId} goes on without operator hang-up/transfer: Redis is unreachable", callId);
            return null;
        }
    }

    public ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) => inner.SendAgentAudioAsync(turn, pcm, cancellationToken);

    public ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken) => inner.EndAgentTurnAsync(turn, cancellationToken);

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken) => inner.ClearAgentAudioAsync(cancellationToken);

    public ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken) => inner.CarryOutAsync(intent, cancellationToken);

    public ValueTask CloseAsync(CallCloseReason reason) => inner.CloseAsync(reason);
}
