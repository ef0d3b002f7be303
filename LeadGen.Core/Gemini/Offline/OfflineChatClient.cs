using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Analysis;
using LeadGen.Core.Agent.Extraction;
using LeadGen.Core.Agent.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Offline;

/// <summary>
/// The offline engine (<c>Gemini:Mode=offline</c>, the default without Google credentials): a deterministic
/// <see cref="IChatClient"/> that runs the campaign's script — asks its questions in order, reads answers with
/// <see cref="AnswerRules"/>, and calls the same tools a model would (so function invocation, telemetry and storage
/// are exercised exactly as with Vertex). Asked for the analysis JSON it scores the transcript with
/// <see cref="QualificationAssessment"/>. It is not a language model and says so: its model id is "offline".
/// </summary>
public sealed class OfflineChatClient(TimeProvider timeProvider, ILogger<OfflineChatClient> logger) : IChatClient
{
    public const string ModelId = "offline";
    public const string ProviderName = "leadgen.offline";

    private static readonly ChatClientMetadata Metadata = new(ProviderName, null, ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var message = OfflineHints.Get<AnalysisInput>(options, OfflineHints.AnalysisKey) is { } analysis
            ? new ChatMessage(ChatRole.Assistant, Analyze(analysis))
            : OfflineHints.Get<AgentScript>(options, OfflineHints.ScriptKey) is { } script
                ? Converse(script, history)
                : throw new InvalidOperationException("The offline engine only runs qualification conversations and call analysis (no script or analysis input was given).");

        var hasCalls = message.Contents.OfType<FunctionCallContent>().Any();
        return Task.FromResult(new ChatResponse(message)
        {
            ModelId = ModelId,
            ResponseId = Guid.NewGuid().ToString("N"),
            CreatedAt = timeProvider.GetUtcNow(),
            FinishReason = hasCalls ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private ChatMessage Converse(AgentScript script, IReadOnlyList<ChatMessage> history)
    {
        var lastUserIndex = LastIndex(history, ChatRole.User);
        if (lastUserIndex < 0)
        {
            throw new InvalidOperationException("The offline engine needs the lead's turn to answer.");
        }

        var plan = Plan(script, history.Take(lastUserIndex + 1).ToList());

        // First round: request the tools; after their results come back (tool messages follow the lead's turn), speak.
        var toolsAlreadyRan = history.Skip(lastUserIndex + 1).Any(message => message.Role == ChatRole.Tool);
        if (plan.Calls.Count > 0 && !toolsAlreadyRan)
        {
            logger.LogInformation("Offline engine: calling {Tools}", string.Join(", ", plan.Calls.Select(call => call.Name)));
            return new ChatMessage(ChatRole.Assistant, [.. plan.Calls]);
        }

        return new ChatMessage(ChatRole.Assistant, plan.Reply);
    }

    private (List<FunctionCallContent> Calls, string Reply) Plan(AgentScript script, List<ChatMessage> history)
    {
        var now = timeProvider.GetUtcNow();
        var questions = script.Campaign.Questions;
        var lead = history[^1].Text;
        var calls = new List<FunctionCallContent>();

        if (AnswerRules.IsOptOut(lead))
        {
            calls.Add(Call(QualificationTools.MarkDoNotCall, new() { ["reason"] = lead.Trim() }));
            calls.Add(Call(QualificationTools.EndCall, new() { ["outcome"] = ConversationOutcome.DoNotCall.ToWire(), ["summary"] = "The lead asked not to be called again." }));
            return (calls, script.OptOutConfirmation);
        }

        if (AnswerRules.IsRefusal(lead))
        {
            calls.Add(Call(QualificationTools.EndCall, new() { ["outcome"] = ConversationOutcome.NoInterest.ToWire(), ["summary"] = "The lead said they are not interested." }));
            return (calls, AgentScript.ClosingNotInterested);
        }

        if (AnswerRules.WantsHuman(lead))
        {
            calls.Add(Call(QualificationTools.TransferToHuman, new() { ["reason"] = lead.Trim() }));
            return (calls, AgentScript.TransferLine);
        }

        if (AnswerRules.WantsCallback(lead))
        {
            var at = TranscriptFacts.CallbackTime(lead, now);
            calls.Add(Call(QualificationTools.ScheduleCallback, new() { ["when"] = at.ToString("O", CultureInfo.InvariantCulture), ["note"] = lead.Trim() }));
            calls.Add(Call(QualificationTools.EndCall, new() { ["outcome"] = ConversationOutcome.Callback.ToWire(), ["summary"] = "The lead asked to be called back." }));
            return (calls, AgentScript.CallbackLine(at.ToString("dddd d MMMM 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture)));
        }

        var lastAgentText = history.LastOrDefault(message => message.Role == ChatRole.Assistant && message.Text.Length > 0)?.Text ?? string.Empty;
        var asked = TranscriptFacts.QuestionAskedIn(questions, lastAgentText);
        var answer = asked is null ? null : ExtractedAnswer.Read(asked, lead, DateOnly.FromDateTime(now.UtcDateTime));
        var details = DetailsFor(answer, AnswerRules.ReadEmail(lead));
        if (details.Count > 0)
        {
            calls.Add(Call(QualificationTools.RecordLeadDetails, details));
        }

        var nextIndex = asked is null ? 0 : IndexOf(questions, asked) + 1;
        if (nextIndex < questions.Count)
        {
            return (calls, (asked is null ? string.Empty : "Thank you. ") + questions[nextIndex].Text);
        }

        var facts = TranscriptFacts.Read(questions, Lines(history), now);
        var qualified = QualificationAssessment.IsQualified(questions, facts, now);
        calls.Add(Call(QualificationTools.EndCall, new()
        {
            ["outcome"] = (qualified ? ConversationOutcome.Qualified : ConversationOutcome.Disqualified).ToWire(),
            ["summary"] = $"Offline engine: {facts.Answers.Count} of {questions.Count} questions answered; {(qualified ? "qualified" : "not qualified")} by the BANT rules.",
        }));
        return (calls, qualified ? script.ClosingQualified : AgentScript.ClosingNotQualified);
    }

    private static Dictionary<string, object?> DetailsFor(ExtractedAnswer? answer, string? email)
    {
        var details = new Dictionary<string, object?>();
        if (email is not null)
        {
            details["email"] = email;
        }

        if (answer is null)
        {
            return details;
        }

        switch (answer.Question.Key)
        {
            case QualificationAssessment.BudgetKey when answer.Money is { } money:
                details["budget"] = money.Amount;
                details["currency"] = money.Currency;
                break;
            case QualificationAssessment.AuthorityKey when answer.YesNo is { } yes:
                details["isDecisionMaker"] = yes;
                break;
            case QualificationAssessment.NeedKey:
                details["need"] = answer.Raw.Trim();
                break;
            case QualificationAssessment.TimelineKey:
                details["timeline"] = answer.Normalized;
                break;
        }

        if (answer.Question.Kind == AnswerKind.Email && answer.Email is not null)
        {
            details["email"] = answer.Email;
        }

        details["answers"] = new[] { new Dictionary<string, string> { ["key"] = answer.Question.Key, ["answer"] = answer.Normalized } };
        return details;
    }

    private string Analyze(AnalysisInput input)
    {
        var now = timeProvider.GetUtcNow();
        var facts = TranscriptFacts.Read(input.Questions, input.Transcript, now);
        var scores = QualificationAssessment.Score(facts, now);
        var qualified = QualificationAssessment.IsQualified(input.Questions, facts, now)
            && facts.Answers.Count == input.Questions.Count;
        var nextStep = facts.OptedOut ? "None: the lead is on the do-not-call list."
            : facts.NotInterested ? "None: the lead said they are not interested."
            : facts.WantsHuman ? "A sales representative follows up on the transferred call."
            : facts.CallbackAt is { } at ? $"Call back at {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."
            : qualified ? "Hand over to a specialist for a follow-up call."
            : "Nurture by e-mail; no sales follow-up now.";
        var answered = string.Join(", ", input.Questions.Where(q => facts.Answers.ContainsKey(q.Key)).Select(q => $"{q.Key}: {facts.Answers[q.Key].Normalized}"));
        var analysis = new CallAnalysis
        {
            Summary = $"Offline analysis (rule-based, not a language model). The lead answered {facts.Answers.Count} of {input.Questions.Count} questions"
                + (answered.Length > 0 ? $" ({answered})" : string.Empty)
                + $". Call ended as {input.Disposition ?? "unknown"}.",
            Bant = scores,
            OverallScore = scores.ToOverallScore(),
            Qualified = qualified,
            NextStep = nextStep,
        };
        return JsonSerializer.Serialize(analysis);
    }

    private static IEnumerable<TranscriptLine> Lines(IEnumerable<ChatMessage> history) => history
        .Where(message => (message.Role == ChatRole.User || message.Role == ChatRole.Assistant) && message.Text.Length > 0)
        .Select(message => new TranscriptLine(message.Role == ChatRole.User, message.Text));

    private static FunctionCallContent Call(string name, Dictionary<string, object?> arguments) =>
        new("offline-" + Guid.NewGuid().ToString("N")[..12], name, arguments);

    private static int LastIndex(IReadOnlyList<ChatMessage> history, ChatRole role)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].Role == role)
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOf(IReadOnlyList<AgentQuestion> questions, AgentQuestion question)
    {
        for (var i = 0; i < questions.Count; i++)
        {
            if (questions[i] == question)
            {
                return i;
            }
        }

        return -1;
    }
}
