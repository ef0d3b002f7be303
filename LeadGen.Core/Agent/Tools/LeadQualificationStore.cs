using System.Text.Json.Nodes;
using LeadGen.Core.Calls;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadGen.Core.Agent.Tools;

/// <summary>
/// The agent's tools' writes, through the leads/calls/compliance stores. Each tool call is one transaction, so a
/// lead's answers, contact fields and the call's extracted fields change together or not at all.
/// </summary>
public sealed class LeadQualificationStore(
    NpgsqlDataSource dataSource,
    LeadStore leads,
    LeadLifecycle leadLifecycle,
    CallStore calls,
    CallbackStore callbacks,
    DoNotCallRegistry doNotCall,
    Reporting.OutcomeMetrics outcomes,
    ILogger<LeadQualificationStore> logger) : ILeadQualificationStore
{
    public const string DoNotCallSource = "agent";

    public async Task RecordDetailsAsync(AgentContext context, LeadDetails details, CancellationToken cancellationToken)
    {
        var answers = new JsonObject();
        foreach (var (key, answer) in details.Answers)
        {
            answers[key] = answer;
        }

        // Structured BANT fields win over the free-text answer to a question with the same key.
        SetIfPresent(answers, "need", details.Need);
        SetIfPresent(answers, "budget", details.Budget);
        SetIfPresent(answers, "currency", details.Currency);
        SetIfPresent(answers, "authority", details.IsDecisionMaker);
        SetIfPresent(answers, "timeline", details.Timeline);
        SetIfPresent(answers, "notes", details.Notes);

        var patch = new LeadPatch
        {
            Email = details.Email is null ? default : PatchField.Of<string?>(details.Email),
            Company = details.Company is null ? default : PatchField.Of<string?>(details.Company),
            Role = details.Role is null ? default : PatchField.Of<string?>(details.Role),
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await leads.RecordQualificationAsync(context.LeadId, score: null, answers, status: null, cancellationToken, transaction);
        if (patch.Email.HasValue || patch.Company.HasValue || patch.Role.HasValue)
        {
            await leads.UpdateAsync(context.LeadId, patch, cancellationToken, transaction);
        }

        var extracted = (JsonObject)answers.DeepClone();
        SetIfPresent(extracted, "email", details.Email);
        SetIfPresent(extracted, "company", details.Company);
        SetIfPresent(extracted, "role", details.Role);
        await calls.RecordOutcomeAsync(context.CallId, new CallOutcome { Extracted = extracted }, cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Agent recorded {Fields} for lead {LeadId}", string.Join(", ", extracted.Select(pair => pair.Key)), context.LeadId);
    }

    public async Task ScheduleCallbackAsync(AgentContext context, DateTimeOffset at, string? note, CancellationToken cancellationToken)
    {
        await callbacks.ScheduleAsync(context.LeadId, context.CallId, at, note, cancellationToken);
        logger.LogInformation("Agent scheduled a callback for lead {LeadId} at {At:O}", context.LeadId, at);
    }

    public async Task MarkDoNotCallAsync(AgentContext context, string reason, CancellationToken cancellationToken)
    {
        var lead = await leads.GetAsync(context.LeadId, cancellationToken)
            ?? throw new InvalidOperationException($"Lead {context.LeadId} does not exist.");
        if (lead.Phone is null)
        {
            // Erased lead: no number left to list; stop calling this lead at least.
            await leads.SetStatusAsync(lead.Id, LeadStatuses.DoNotCall, null, cancellationToken);
            return;
        }

        var (_, flagged) = await doNotCall.AddAsync(lead.Phone, Truncate(reason, 500), DoNotCallSource, cancellationToken);
        logger.LogInformation("Agent added lead {LeadId}'s number to the do-not-call list ({Flagged} leads flagged)", lead.Id, flagged);
    }

    public async Task RequestTransferAsync(AgentContext context, string reason, CancellationToken cancellationToken)
    {
        // The disposition records the request; bridging a live phone call to the campaign's transfer number is the
        // telephony feature's job (it watches for this disposition). A text conversation simply ends here.
        await calls.RecordOutcomeAsync(context.CallId, new CallOutcome
        {
            Disposition = CallDispositions.Transferred,
            Extracted = new JsonObject { ["transferReason"] = Truncate(reason, 500) },
        }, cancellationToken);
        logger.LogInformation("Agent requested a transfer to a human for call {CallId}", context.CallId);
    }

    public async Task EndAsync(AgentContext context, ConversationOutcome outcome, string? summary, CancellationToken cancellationToken)
    {
        var leadStatus = outcome switch
        {
            ConversationOutcome.Qualified => LeadStatuses.Qualified,
            ConversationOutcome.Disqualified or ConversationOutcome.NoInterest => LeadStatuses.Disqualified,
            _ => null, // callback / do-not-call were set by their own tools; transferred leaves the status to the human.
        };

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await calls.RecordOutcomeAsync(context.CallId, new CallOutcome { Disposition = outcome.ToWire(), Summary = summary }, cancellationToken, transaction);
        if (leadStatus is not null)
        {
            // Never overrides an opt-out that happened in the same conversation.
            await leadLifecycle.RecordVerdictAsync(transaction, context.LeadId, leadStatus, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outcomes.ConversationsEnded.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToWire()));
        logger.LogInformation("Agent ended call {CallId} with outcome {Outcome}", context.CallId, outcome.ToWire());
    }

    private static void SetIfPresent<T>(JsonObject target, string key, T? value)
    {
        if (value is not null)
        {
            target[key] = JsonValue.Create(value);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
