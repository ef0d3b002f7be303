namespace LeadGen.Core.Agent.Extraction;

/// <summary>One line of a conversation as the rules see it.</summary>
public sealed record TranscriptLine(bool FromLead, string Text);

/// <summary>
/// Everything the rules can tell from a transcript: the answer to each campaign question (the lead's first reply after
/// the agent asked it), an e-mail mentioned anywhere, and whether the lead opted out, declined, asked for a person or
/// a callback. A reply that steers the call (<see cref="AnswerRules.SteersTheCall"/>) answers nothing.
/// </summary>
public sealed record TranscriptFacts(
    IReadOnlyDictionary<string, ExtractedAnswer> Answers,
    string? Email,
    bool OptedOut,
    bool NotInterested,
    bool WantsHuman,
    DateTimeOffset? CallbackAt)
{
    public static TranscriptFacts Read(IReadOnlyList<AgentQuestion> questions, IEnumerable<TranscriptLine> lines, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var answers = new Dictionary<string, ExtractedAnswer>(StringComparer.Ordinal);
        AgentQuestion? pending = null;
        string? email = null;
        var optedOut = false;
        var notInterested = false;
        var wantsHuman = false;
        DateTimeOffset? callbackAt = null;
        foreach (var line in lines)
        {
            if (!line.FromLead)
            {
                pending = QuestionAskedIn(questions, line.Text) ?? pending;
                continue;
            }

            email ??= AnswerRules.ReadEmail(line.Text);
            optedOut |= AnswerRules.IsOptOut(line.Text);
            notInterested |= AnswerRules.IsRefusal(line.Text);
            wantsHuman |= AnswerRules.WantsHuman(line.Text);
            if (AnswerRules.WantsCallback(line.Text))
            {
                callbackAt = CallbackTime(line.Text, now);
            }

            if (AnswerRules.SteersTheCall(line.Text))
            {
                pending = null;
            }
            else if (pending is not null && !answers.ContainsKey(pending.Key))
            {
                answers[pending.Key] = ExtractedAnswer.Read(pending, line.Text, today);
                pending = null;
            }
        }

        return new TranscriptFacts(answers, email, optedOut, notInterested, wantsHuman, callbackAt);
    }

    /// <summary>The last campaign question whose wording appears in what the agent said.</summary>
    public static AgentQuestion? QuestionAskedIn(IReadOnlyList<AgentQuestion> questions, string agentText) =>
        questions.LastOrDefault(question => agentText.Contains(question.Text, StringComparison.OrdinalIgnoreCase));

    /// <summary>The time the lead named for a callback; tomorrow at 10:00 (UTC) when they named none.</summary>
    public static DateTimeOffset CallbackTime(string text, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var date = AnswerRules.ReadDate(text, today) ?? today.AddDays(1);
        var time = AnswerRules.ReadTime(text) ?? new TimeOnly(10, 0);
        var at = new DateTimeOffset(date.ToDateTime(time), TimeSpan.Zero);
        return at <= now ? at.AddDays(1) : at;
    }
}
