using System.Net.WebSockets;
using System.Text.Json;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Calls.Browser;

/// <summary>
/// The console's voice test call: an operator talks to a campaign's agent as one of its leads, through the same live
/// call pipeline as a phone call (<see cref="BrowserCallHandler"/>). The call is a call row (provider "browser") created
/// only when the page's socket is there, so a page that never connects leaves nothing behind; it ends like a phone call
/// (status, lead moved on, analysis job) through <see cref="CallLifecycle"/>. The rules of who may be called are checked
/// by <see cref="CheckAsync"/>, for the page (before it asks for the microphone) and the endpoint alike.
/// </summary>
public sealed class BrowserTestCalls(
    IRealtimeVoiceClient engine,
    NpgsqlDataSource dataSource,
    LeadStore leads,
    LeadLifecycle leadLifecycle,
    CallStore calls,
    CallLifecycle lifecycle,
    BrowserCallHandler handler,
    TimeProvider time,
    ILogger<BrowserTestCalls> logger)
{
    public const string Provider = "browser";

    /// <summary>What an operator must set for voice test calls, shown by the page when no voice model is configured.</summary>
    public const string NotConfiguredMessage =
        "Voice test calls need a live voice model, and none is configured (Gemini is offline). Set Gemini:Mode=vertex with " +
        "Gemini:Project (and Google credentials for the service account), or Gemini:Mode=apikey with Gemini:ApiKey " +
        "(a Vertex AI express-mode key); Gemini:LiveModel picks the model (default gemini-live-2.5-flash). Then restart the console.";


    /// <summary>Whether a live voice model is configured (otherwise no test call can be placed).</summary>
    public bool EngineConfigured => engine.IsConfigured;

    /// <summary>Null when <paramref name="leadId"/> may be called now, else why not.</summary>
    public async Task<BrowserCallRefusal?> CheckAsync(Guid leadId, CancellationToken cancellationToken)
    {
        if (!engine.IsConfigured)
        {
            return new BrowserCallRefusal(BrowserCallRefusalKind.NotConfigured, NotConfiguredMessage);
        }

        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead is null)
        {
            return new BrowserCallRefusal(BrowserCallRefusalKind.NotFound, $"Lead {leadId} does not exist.");
        }

        return lead.ErasedAt is not null || lead.Status == LeadStatuses.DoNotCall
            ? new BrowserCallRefusal(BrowserCallRefusalKind.Conflict, $"Lead {leadId} is {(lead.ErasedAt is not null ? "erased" : "on the do-not-call list")}; the agent does not contact it.")
            : null;
    }

    /// <summary>Creates the call (in progress, answered by a person) and marks the lead as being called.</summary>
    public async Task<BrowserCallStart> StartAsync(Guid leadId, CancellationToken cancellationToken)
    {
        if (await CheckAsync(leadId, cancellationToken) is { } refusal)
        {
            return new BrowserCallStart(null, refusal);
        }

        var lead = (await leads.GetAsync(leadId, cancellationToken))!;
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Call call;
        try
        {
            call = await calls.CreateAsync(new NewCall
            {
                LeadId = lead.Id,
                CampaignId = lead.CampaignId,
                Direction = CallDirections.Outbound,
                Provider = Provider,
                Status = CallStatuses.Initiated,
            }, cancellationToken, transaction);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new BrowserCallStart(null, new BrowserCallRefusal(BrowserCallRefusalKind.Conflict,
                $"Lead {leadId} has a call in progress (queued, ringing or connected); try again when it has ended."));
        }

        await calls.UpdateStatusAsync(call.Id, new CallStatusUpdate { Status = CallStatuses.Initiated, AnsweredBy = "human" }, cancellationToken, transaction);
        await leadLifecycle.StartOperatorCallAsync(transaction, lead.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Browser test call {CallId} started with lead {LeadId}", call.Id, lead.Id);
        return new BrowserCallStart(call.Id, null);
    }

    /// <summary>
    /// Runs the call over the accepted socket (first telling the page its call id: <c>{"type":"call","callId":…}</c>)
    /// until either side ends it, then ends the call row: completed (analysed like a phone call) when the voice model
    /// session opened, failed otherwise.
    /// </summary>
    public async Task RunAsync(WebSocket socket, Guid callId, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "call", callId }), WebSocketMessageType.Text, true, cancellationToken);
            await handler.RunAsync(socket, callId, cancellationToken);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            logger.LogInformation("Browser test call {CallId}: the page went away", callId);
        }
        finally
        {
            await EndAsync(callId);
        }
    }

    private async Task EndAsync(Guid callId)
    {
        var call = await calls.GetAsync(callId, CancellationToken.None);
        if (call is null || CallStatuses.Final.Contains(call.Status))
        {
            return;
        }

        var now = time.GetUtcNow();
        if (call.StartedAt is { } started)
        {
            await lifecycle.ApplyStatusAsync(callId, CallStatuses.Completed, (int)Math.Max(0, (now - started).TotalSeconds), CancellationToken.None);
            return;
        }

        // The voice model session never opened (the stream never started): a failed attempt, with the reason.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await lifecycle.ApplyAsync(transaction, callId, new CallStatusUpdate { Status = CallStatuses.Failed, EndedAt = now, Error = "The voice model session could not be opened." }, CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }
}

public enum BrowserCallRefusalKind
{
    NotConfigured,
    NotFound,
    Conflict,
}

public sealed record BrowserCallRefusal(BrowserCallRefusalKind Kind, string Message);

/// <summary>The created call's id, or why none was created.</summary>
public sealed record BrowserCallStart(Guid? CallId, BrowserCallRefusal? Refusal);
