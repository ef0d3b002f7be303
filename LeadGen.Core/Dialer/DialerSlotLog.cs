using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Dialer;

/// <summary>
/// Says when the dialer skips a campaign because all its call slots are taken — at most once per campaign per
/// <see cref="Period"/> (the dialer runs every few seconds; a line per tick would bury everything else).
/// </summary>
public sealed class DialerSlotLog(TimeProvider timeProvider, ILogger<DialerSlotLog> logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastLogged = new();

    public void NoFreeSlots(Guid campaignId, int liveCalls, int maxConcurrentCalls)
    {
        var now = timeProvider.GetUtcNow();
        var last = _lastLogged.GetOrAdd(campaignId, DateTimeOffset.MinValue);
        // Only the caller that swaps the timestamp logs, even when two dialer runs race.
        if (now - last >= Period && _lastLogged.TryUpdate(campaignId, now, last))
        {
            logger.LogInformation(
                "Dialer skipped campaign {CampaignId}: no free call slot ({LiveCalls} live of {MaxConcurrentCalls}); said at most once a minute",
                campaignId, liveCalls, maxConcurrentCalls);
        }
    }
}
