using System.Text.Json;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Agent.Conversations;

/// <summary>
/// Text conversations with the qualification agent (the <c>/api/conversations</c> API): the same agent, tools and
/// storage as a phone call, without audio. Each conversation is a call row (provider "text") whose transcript goes to
/// call_turns; one turn runs at a time per conversation (advisory lock), and a turn's transcript, history and token
/// usage are saved in one transaction after the agent answers. When the agent ends the conversation the call completes
/// like a phone call, through <see cref="CallLifecycle"/>: the lead moves on and the Worker's <c>analyze-call</c> job is
/// enqueued in the same transaction; the analysis shows on the conversation (GET) and the call once that job has run.
/// </summary>
public sealed class ConversationService(
    NpgsqlDataSource dataSource,
    LeadStore leads,
    LeadLifecycle leadLifecycle,
    CallLifecycle callLifecycle,
    CampaignStore campaigns,
    CallStore calls,
    ConversationStore conversations,
    QualificationAgent agent,
    TimeProvider clock,
    ILogger<ConversationService> logger)
{
    public const string Provider = "text";
    public const int MaxMessageLength = 2000;

    public async Task<ConversationResult> StartAsync(Guid leadId, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(leadId, cancellationToken);
        if (lead is null)
        {
            return Fail(ConversationError.NotFound, $"Lead {leadId} does not exist.");
        }

        if (lead.ErasedAt is not null || lead.Status == LeadStatuses.DoNotCall)
        {
            return Fail(ConversationError.Conflict, $"Lead {leadId} is {(lead.ErasedAt is not null ? "erased" : "on the do-not-call list")}; the agent does not contact it.");
        }

        var campaign = await campaigns.GetAsync(lead.CampaignId, cancellationToken)
            ?? throw new InvalidOperationException($"Lead {leadId} references missing campaign {lead.CampaignId}.");
        var now = clock.GetUtcNow();
        var session = new AgentSession(new AgentContext(lead.Id, campaign.Id, Guid.CreateVersion7(now)), LeadPrompt.Script(campaign.ToAgentCampaign(), lead), [], new ConversationState());
        var opening = QualificationAgent.Open(session);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await calls.CreateAsync(new NewCall
            {
                Id = session.Context.CallId,
                LeadId = lead.Id,
                CampaignId = campaign.Id,
                Direction = CallDirections.Outbound,
                Provider = Provider,
                Status = CallStatuses.InProgress,
                Model = agent.Engine.Model,
            }, cancellationToken, transaction);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // A lead has at most one live outbound call (the dialer's may be queued or ringing right now).
            return Fail(ConversationError.Conflict, $"Lead {leadId} has a call in progress (queued, ringing or connected); try again when it has ended.");
        }

        await calls.UpdateStatusAsync(session.Context.CallId, new CallStatusUpdate { Status = CallStatuses.InProgress, StartedAt = now, AnsweredAt = now, AnsweredBy = "human" }, cancellationToken, transaction);
        await leadLifecycle.StartOperatorCallAsync(transaction, lead.Id, cancellationToken);
        await calls.AppendTurnAsync(new CallTurn { CallId = session.Context.CallId, Seq = 0, Speaker = CallSpeakers.Agent, Text = opening, StartedAt = now, EndedAt = now }, cancellationToken, transaction);
        await conversations.InsertAsync(new StoredConversation(session.Context.CallId, lead.Id, agent.Engine.Label, session.History, session.State, 1), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Conversation {CallId} started with lead {LeadId} on the {Engine} engine", session.Context.CallId, lead.Id, agent.Engine.Label);
        return ConversationResult.Ok(new ConversationTurnResult(
            session.Context.CallId, lead.Id, campaign.Id, agent.Engine.Label, agent.Engine.Model, opening, false, null, [], null));
    }

    public async Task<ConversationResult> SendAsync(Guid conversationId, string? text, CancellationToken cancellationToken)
    {
        var message = text?.Trim() ?? string.Empty;
        if (message.Length == 0 || message.Length > MaxMessageLength)
        {
            return Fail(ConversationError.Invalid, $"'text' must be 1 to {MaxMessageLength} characters.");
        }

        // The lock connection stays open for the turn: a second message to the same conversation gets 409 at once.
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await ConversationStore.TryTakeTurnAsync(lockConnection, conversationId, cancellationToken))
        {
            return Fail(ConversationError.Conflict, "The agent is still answering the previous message of this conversation.");
        }

        try
        {
            return await RunTurnAsync(conversationId, message, cancellationToken);
        }
        finally
        {
            await ConversationStore.ReleaseTurnAsync(lockConnection, conversationId);
        }
    }

    public async Task<ConversationView?> GetAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var call = await calls.GetAsync(conversationId, cancellationToken);
        if (call is null || call.Provider != Provider)
        {
            return null;
        }

        var transcript = await calls.GetTranscriptAsync(conversationId, cancellationToken);
        return new ConversationView(call.Id, call.LeadId, call.CampaignId, call.Status, call.Disposition, call.Model, CallStatuses.Final.Contains(call.Status), transcript, call.Analysis);
    }

    private async Task<ConversationResult> RunTurnAsync(Guid conversationId, string message, CancellationToken cancellationToken)
    {
        var stored = await conversations.GetAsync(conversationId, cancellationToken);
        if (stored is null)
        {
            var call = await calls.GetAsync(conversationId, cancellationToken);
            return call is { Provider: Provider }
                ? Fail(ConversationError.Conflict, "This conversation has ended.")
                : Fail(ConversationError.NotFound, $"Conversation {conversationId} does not exist.");
        }

        var lead = await leads.GetAsync(stored.LeadId, cancellationToken);
        if (lead is null || lead.ErasedAt is not null)
        {
            return Fail(ConversationError.Conflict, "The lead of this conversation was erased.");
        }

        var campaign = await campaigns.GetAsync(lead.CampaignId, cancellationToken)
            ?? throw new InvalidOperationException($"Lead {lead.Id} references missing campaign {lead.CampaignId}.");
        var session = new AgentSession(new AgentContext(lead.Id, campaign.Id, conversationId), LeadPrompt.Script(campaign.ToAgentCampaign(), lead), stored.History, stored.State)
        {
            LeadContext = LeadPrompt.Facts(lead),
        };

        var started = clock.GetUtcNow();
        AgentReply reply;
        try
        {
            reply = await agent.ReplyAsync(session, message, cancellationToken);
        }
        catch (Exception ex) when (ex is Gemini.GeminiRequestException)
        {
            logger.LogError(ex, "Agent engine failed on conversation {CallId}; the lead's message was not stored and can be resent", conversationId);
            return Fail(ConversationError.EngineFailed, ex.Message);
        }

        var answered = clock.GetUtcNow();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (!await ConversationStore.LockAsync(conversationId, transaction, cancellationToken))
            {
                // The lead was erased while the agent was answering: store nothing of this turn.
                await transaction.RollbackAsync(cancellationToken);
                return Fail(ConversationError.Conflict, "The lead of this conversation was erased.");
            }

            await AppendAsync(stored, CallSpeakers.Caller, message, started, started, transaction, cancellationToken);
            foreach (var call in reply.ToolCalls)
            {
                await AppendAsync(stored, CallSpeakers.Tool, $"{call.Name} {JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions)}", answered, answered, transaction, cancellationToken);
            }

            await AppendAsync(stored, CallSpeakers.Agent, reply.Text, answered, answered, transaction, cancellationToken);
            if (reply.Usage is { } usage)
            {
                await calls.AddTokenUsageAsync(conversationId, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cancellationToken, transaction);
            }

            if (session.State.Ended)
            {
                var call = await calls.GetAsync(conversationId, cancellationToken, transaction);
                var startedAt = call?.StartedAt ?? call?.CreatedAt ?? answered;
                // The one completion path of every call: status, the lead moved on (a lead the agent gave no verdict is
                // retried or made unreachable) and the analyze-call job, in this transaction.
                await callLifecycle.ApplyAsync(transaction, conversationId, new CallStatusUpdate
                {
                    Status = CallStatuses.Completed,
                    EndedAt = answered,
                    DurationSeconds = (int)Math.Max(0, (answered - startedAt).TotalSeconds),
                }, cancellationToken);
                await ConversationStore.DeleteAsync(conversationId, transaction, cancellationToken);
            }
            else
            {
                await conversations.SaveAsync(stored with { History = session.History, State = session.State }, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return ConversationResult.Ok(new ConversationTurnResult(
            conversationId,
            lead.Id,
            campaign.Id,
            agent.Engine.Label,
            agent.Engine.Model,
            reply.Text,
            session.State.Ended,
            session.State.Outcome?.ToWire() ?? (session.State.TransferRequested ? ConversationOutcome.Transferred.ToWire() : null),
            [.. reply.ToolCalls.Select(call => call.Name)],
            reply.Degraded));
    }

    private async Task AppendAsync(StoredConversation stored, string speaker, string text, DateTimeOffset startedAt, DateTimeOffset endedAt, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await calls.AppendTurnAsync(new CallTurn { CallId = stored.CallId, Seq = stored.NextSeq, Speaker = speaker, Text = text, StartedAt = startedAt, EndedAt = endedAt }, cancellationToken, transaction);
        stored.NextSeq++;
    }

    private static ConversationResult Fail(ConversationError error, string message) =>
        ConversationResult.Fail(error, message);
}
