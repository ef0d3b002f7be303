using LeadGen.Core.Calls.Browser;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Telephony;
using LeadGen.Core.Telephony.Twilio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Calls.Control;

/// <summary>
/// What an operator can do to a live call from the console: hang it up, or transfer it to a person (the campaign's
/// transfer number, else <c>Telephony:TransferNumber</c>). The command goes to the instance holding the call
/// (<see cref="CallControlChannel"/>), which carries it out through the call's transport. When no instance holds the
/// call's stream (it crashed, or the call is still ringing) and the call is a real provider call, the console asks the
/// provider directly (Twilio: the Call resource update with <c>Status=completed</c> or <c>Twiml</c>).
/// </summary>
public sealed class LiveCallControl(
    CallStore calls,
    CampaignStore campaigns,
    CallControlChannel channel,
    ITelephonyProvider telephony,
    IOptions<TelephonyOptions> telephonyOptions,
    ILogger<LiveCallControl> logger)
{
    public Task<CallControlResult> HangUpAsync(Guid callId, CancellationToken cancellationToken) =>
        SendAsync(callId, transfer: false, cancellationToken);

    public Task<CallControlResult> TransferAsync(Guid callId, CancellationToken cancellationToken) =>
        SendAsync(callId, transfer: true, cancellationToken);

    /// <summary>Whether <paramref name="call"/> can be transferred at all (a browser test call has no phone line).</summary>
    public static bool CanTransfer(Call call) => call.Provider != BrowserTestCalls.Provider;

    private async Task<CallControlResult> SendAsync(Guid callId, bool transfer, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(callId, cancellationToken);
        if (call is null)
        {
            return CallControlResult.Refused($"Call {callId} does not exist.");
        }

        if (CallStatuses.Final.Contains(call.Status))
        {
            return CallControlResult.Refused($"The call has already ended ({call.Status}).");
        }

        string? number = null;
        if (transfer)
        {
            if (!CanTransfer(call))
            {
                return CallControlResult.Refused("A browser test call cannot be transferred: it has no phone line.");
            }

            var campaign = call.CampaignId is { } campaignId ? await campaigns.GetAsync(campaignId, cancellationToken) : null;
            number = campaign?.Settings.TransferNumber ?? telephonyOptions.Value.TransferNumber;
            if (string.IsNullOrWhiteSpace(number))
            {
                return CallControlResult.Refused("No transfer number: set the campaign's transfer number (or Telephony:TransferNumber for every campaign).");
            }
        }

        var command = transfer ? new CallControlCommand(CallControlCommand.TransferAction, number) : new CallControlCommand(CallControlCommand.HangUpAction);
        var receivers = await channel.SendAsync(callId, command, cancellationToken);
        if (receivers > 0)
        {
            logger.LogInformation("Call {CallId}: operator {Action} sent to the instance holding the call", callId, command.Action);
            return CallControlResult.Sent(transfer ? $"Transferring the call to {number}." : "Hanging up the call.");
        }

        if (call.ProviderCallId is { Length: > 0 } providerCallId && call.Provider == telephony.Name && call.Provider != TelephonyProviderNames.Simulator)
        {
            try
            {
                if (transfer)
                {
                    await telephony.RedirectAsync(providerCallId, TwiML.Dial(number!), cancellationToken);
                }
                else
                {
                    await telephony.HangUpAsync(providerCallId, cancellationToken);
                }
            }
            catch (HttpRequestException exception)
            {
                logger.LogWarning(exception, "Call {CallId}: the provider refused the operator's {Action}", callId, command.Action);
                return CallControlResult.Refused($"No voice instance holds this call and {call.Provider} refused the request: {exception.Message}");
            }

            logger.LogInformation("Call {CallId}: operator {Action} sent to {Provider} directly (no instance holds the stream)", callId, command.Action, call.Provider);
            return CallControlResult.Sent(transfer ? $"Asked {call.Provider} to transfer the call to {number}." : $"Asked {call.Provider} to hang up the call.");
        }

        return CallControlResult.Refused("No running voice instance holds this call's audio right now, so nothing can act on it; a stale call is ended by the call reaper.");
    }
}

/// <param name="Done">True when the command was handed to something that carries it out.</param>
public sealed record CallControlResult(bool Done, string Message)
{
    public static CallControlResult Sent(string message) => new(true, message);

    public static CallControlResult Refused(string message) => new(false, message);
}
