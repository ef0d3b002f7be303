using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadGen.Core.Telephony.ConversationRelay;

/// <summary>
/// Makes a ConversationRelay connection token single-use across every VoiceApi instance: the first socket that shows
/// it claims it in Redis (SET NX, expiring with the token); a replay is refused. With Redis unreachable the signed,
/// short-lived token and the upgrade's Twilio signature still hold, so the call goes on (logged), as live calls do.
/// </summary>
public sealed class RelayTokenGuard(IConnectionMultiplexer redis, IOptions<TelephonyOptions> telephony, ILogger<RelayTokenGuard> logger)
{
    public const string KeyPrefix = "leadgen:relay:token:";

    public async Task<bool> TryClaimAsync(string token)
    {
        var key = KeyPrefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        try
        {
            return await redis.GetDatabase().StringSetAsync(key, "1", telephony.Value.StreamTokenLifetime, When.NotExists);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not record a ConversationRelay token as used (Redis unreachable); accepting it once more");
            return true;
        }
    }
}
