using System.Net.WebSockets;
using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Browser;

/// <summary>
/// Runs a live call over an accepted browser WebSocket (<see cref="BrowserCallTransport"/>). The host's endpoint
/// authenticates the page and creates (or picks) the call first; the call then runs like a phone call, minus telephony.
/// </summary>
public sealed class BrowserCallHandler(LiveCallRunner calls, CallMetrics metrics, ILogger<BrowserCallHandler> logger)
{
    public async Task RunAsync(WebSocket socket, Guid callId, CancellationToken cancellationToken)
    {
        using var transport = new BrowserCallTransport(socket, metrics, logger);
        await calls.RunAsync(callId, providerCallId: null, connectionId: $"browser-{callId:N}", transport, cancellationToken);
    }
}
