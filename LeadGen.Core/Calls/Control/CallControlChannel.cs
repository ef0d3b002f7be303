using System.Text.Json;
using LeadGen.Core.Calls.Live;
using StackExchange.Redis;

namespace LeadGen.Core.Calls.Control;

/// <summary>An operator's command for one live call, carried from the console to the process holding the call.</summary>
/// <param name="Action"><see cref="HangUpAction"/> or <see cref="TransferAction"/>.</param>
/// <param name="TransferNumber">E.164 number a transfer dials.</param>
public sealed record CallControlCommand(string Action, string? TransferNumber = null)
{
    public const string HangUpAction = "hang_up";
    public const string TransferAction = "transfer";

    /// <summary>The call intent this command asks for; null when the command is not understood.</summary>
    public CallIntent? ToIntent() => Action switch
    {
        HangUpAction => new HangUp(),
        TransferAction when TransferNumber is { Length: > 0 } number => new TransferToHuman(number),
        _ => null,
    };
}

/// <summary>
/// Redis pub/sub, one channel per call (<c>leadgen:calls:control:{callId}</c>): the console publishes a command, and
/// the instance running that call (VoiceApi for phone calls, the console for browser test calls) is its only
/// subscriber, so PUBLISH's receiver count tells the sender whether anyone holds the call right now. Fire and forget on
/// purpose: a command for a call nobody holds has nobody to act on it later either (the sender falls back or says so).
/// </summary>
public sealed class CallControlChannel(IConnectionMultiplexer redis)
{
    public static RedisChannel Channel(Guid callId) => RedisChannel.Literal($"leadgen:calls:control:{callId:N}");

    /// <returns>How many instances received it (0: no running instance holds the call).</returns>
    public async Task<long> SendAsync(Guid callId, CallControlCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await redis.GetSubscriber().PublishAsync(Channel(callId), JsonSerializer.Serialize(command));
    }

    /// <summary>Delivers commands for <paramref name="callId"/> to <paramref name="onCommand"/> until disposed.</summary>
    public async Task<IAsyncDisposable> ListenAsync(Guid callId, Action<CallControlCommand> onCommand)
    {
        var subscriber = redis.GetSubscriber();
        var channel = Channel(callId);
        await subscriber.SubscribeAsync(channel, (_, message) =>
        {
            if (Parse(message) is { } command)
            {
                onCommand(command);
            }
        });
        return new Subscription(subscriber, channel);
    }

    private static CallControlCommand? Parse(RedisValue message)
    {
        try
        {
            return message.IsNullOrEmpty ? null : JsonSerializer.Deserialize<CallControlCommand>(message.ToString());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Subscription(ISubscriber subscriber, RedisChannel channel) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel);
            }
            catch (RedisException)
            {
                // Redis is gone: so is the subscription.
            }
        }
    }
}
