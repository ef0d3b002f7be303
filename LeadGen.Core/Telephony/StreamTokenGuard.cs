using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadGen.Core.Telephony;

/// <summary>
/// Makes a <see cref="StreamTokens"/> token single-use across every VoiceApi instance, for media streams and
/// ConversationRelay alike: the first socket that shows it claims it in Redis (SET NX, expiring with the token); a
/// replay is refused before any model session opens. With Redis unreachable the signed, short-lived token (and, for
/// ConversationRelay, the upgrade's Twilio signature) still hold, so the call goes on (logged).
/// </summary>
public sealed class StreamTokenGuard(IConnectionMultiplexer redis, IOptions<TelephonyOptions> telephony, ILogger<StreamTokenGuard> logger)
{
    public const string KeyPrefix = "leadgen:stream-token:used:";

    public async Task<bool> TryClaimAsync(string token)
    {
        var key = KeyPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        try
        {
            return await redis.GetDatabase().StringSetAsync(key, "1", telephony.Value.StreamTokenLifetime, When.NotExists);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not record a stream token as used (Redis unreachable); accepting it once more");
            return true;
        }
    }
}
