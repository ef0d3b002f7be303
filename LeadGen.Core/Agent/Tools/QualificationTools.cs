using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Agent.Tools;

/// <summary>
/// The agent's five tools for one conversation, as <see cref="AIFunction"/>s the model (or the offline engine) calls
/// through Microsoft.Extensions.AI's function invocation. Each writes through <see cref="ILeadQualificationStore"/>
/// and records what happened in <see cref="State"/>, which the conversation reports (ended, outcome, transfer).
/// Tool results are short JSON objects; invalid arguments come back as an error result the model can correct.
/// </summary>
public sealed class QualificationTools
{
    public const string RecordLeadDetails = "record_lead_details";
    public const string ScheduleCallback = "schedule_callback";
    public const string MarkDoNotCall = "mark_do_not_call";
    public const string TransferToHuman = "transfer_to_human";
    public const string EndCall = "end_call";

    private readonly AgentContext _context;
    private readonly ILeadQualificationStore _store;
    private readonly TimeProvider _timeProvider;

    public QualificationTools(AgentContext context, ILeadQualificationStore store, TimeProvider timeProvider, ConversationState state)
    {
        _context = context;
        _store = store;
        _timeProvider = timeProvider;
        State = state;
        Functions =
        [
            AIFunctionFactory.Create(RecordAsync, RecordLeadDetails, "Store what the lead said: BANT facts, contact details and answers to the campaign's questions. Call after every answer."),
            AIFunctionFactory.Create(ScheduleAsync, ScheduleCallback, "Book a callback at the time the lead asked for."),
            AIFunctionFactory.Create(DoNotCallAsync, MarkDoNotCall, "The lead asked not to be called again: add the number to the do-not-call list."),
            AIFunctionFactory.Create(TransferAsync, TransferToHuman, "The lead asked for a person: hand the call to a human."),
            AIFunctionFactory.Create(EndAsync, EndCall, "End the conversation with its outcome."),
        ];
    }

    public ConversationState State { get; }

    public IList<AITool> Functions { get; }

    private async Task<object> RecordAsync(
        [Description("What problem or need the lead described, in their words.")] string? need = null,
        [Description("Budget amount the lead named (a number, no currency sign).")] decimal? budget = null,
        [Description("ISO 4217 currency of the budget, e.g. USD.")] string? currency = null,
        [Description("Whether the lead makes or signs off the purchase decision.")] bool? isDecisionMaker = null,
        [Description("When they want a solution: yyyy-MM-dd if known, else their words.")] string? timeline = null,
        [Description("E-mail address the lead gave.")] string? email = null,
        [Description("Company name.")] string? company = null,
        [Description("The lead's role or title.")] string? role = null,
        [Description("Anything else worth noting.")] string? notes = null,
        [Description("Answers to the campaign's questions, by question key.")] QuestionAnswer[]? answers = null,
        CancellationToken cancellationToken = default)
    {
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            return Error($"'{email}' is not an e-mail address; ask the lead to spell it.");
        }

        var details = new LeadDetails
        {
            Need = need,
            Budget = budget,
            Currency = currency,
            IsDecisionMaker = isDecisionMaker,
            Timeline = timeline,
            Email = email?.Trim().ToLowerInvariant(),
            Company = company,
            Role = role,
            Notes = notes,
            Answers = (answers ?? []).Where(answer => !string.IsNullOrWhiteSpace(answer.Key))
                .GroupBy(answer => answer.Key.Trim(), StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Last().Answer, StringComparer.Ordinal),
        };
        await _store.RecordDetailsAsync(_context, details, cancellationToken);
        return Ok("recorded");
    }

    private async Task<object> ScheduleAsync(
        [Description("When to call back: ISO 8601 date-time with offset, e.g. 2026-05-01T15:00:00-05:00.")] string when,
        [Description("Why or what to discuss.")] string? note = null,
        CancellationToken cancellationToken = default)
    {
        if (!DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return Error($"'{when}' is not an ISO 8601 date-time.");
        }

        if (at <= _timeProvider.GetUtcNow())
        {
            return Error("The callback time is in the past; ask the lead for a future time.");
        }

        await _store.ScheduleCallbackAsync(_context, at, note, cancellationToken);
        State.CallbackAt = at;
        return Ok("scheduled", at.ToString("O", CultureInfo.InvariantCulture));
    }

    private async Task<object> DoNotCallAsync(
        [Description("The lead's words or the reason.")] string reason,
        CancellationToken cancellationToken = default)
    {
        await _store.MarkDoNotCallAsync(_context, string.IsNullOrWhiteSpace(reason) ? "lead asked not to be called" : reason, cancellationToken);
        State.DoNotCall = true;
        return Ok("added to the do-not-call list");
    }

    private async Task<object> TransferAsync(
        [Description("Why the lead wants a person.")] string reason,
        CancellationToken cancellationToken = default)
    {
        await _store.RequestTransferAsync(_context, reason, cancellationToken);
        State.TransferRequested = true;
        return Ok("transfer requested");
    }

    private async Task<object> EndAsync(
        [Description("qualified, disqualified, callback, do_not_call, transferred or no_interest.")] string outcome,
        [Description("One sentence on how the conversation went.")] string? summary = null,
        CancellationToken cancellationToken = default)
    {
        if (!ConversationOutcomeNames.TryParse(outcome, out var parsed))
        {
            return Error($"Unknown outcome '{outcome}'. Use qualified, disqualified, callback, do_not_call, transferred or no_interest.");
        }

        if (State.Outcome is not null)
        {
            return Ok("already ended");
        }

        await _store.EndAsync(_context, parsed, summary, cancellationToken);
        State.Outcome = parsed;
        return Ok("ended");
    }

    private static Dictionary<string, string> Ok(string status, string? detail = null) =>
        detail is null ? new() { ["status"] = status } : new() { ["status"] = status, ["detail"] = detail };

    private static Dictionary<string, string> Error(string message) => new() { ["error"] = message };
}

/// <summary>What the tools did during a conversation.</summary>
public sealed class ConversationState
{
    public ConversationOutcome? Outcome { get; set; }

    public bool DoNotCall { get; set; }

    public bool TransferRequested { get; set; }

    public DateTimeOffset? CallbackAt { get; set; }

    public bool Ended => Outcome is not null || TransferRequested;
}
