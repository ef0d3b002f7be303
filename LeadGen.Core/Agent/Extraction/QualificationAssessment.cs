using LeadGen.Core.Agent.Analysis;

namespace LeadGen.Core.Agent.Extraction;

/// <summary>
/// The offline engine's judgement: BANT scores from the answers the rules read, and qualified when every BANT
/// question the campaign asks scored 3 or more. Questions are matched to BANT by key (budget, authority, need, timeline).
/// </summary>
public static class QualificationAssessment
{
    public const string BudgetKey = "budget";
    public const string AuthorityKey = "authority";
    public const string NeedKey = "need";
    public const string TimelineKey = "timeline";

    public static BantScores Score(TranscriptFacts facts, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new BantScores
        {
            Budget = facts.Answers.TryGetValue(BudgetKey, out var budget)
                ? budget.Money switch { { Amount: > 0 } => 4, { Amount: 0 } => 1, _ => 2 }
                : 1,
            Authority = facts.Answers.TryGetValue(AuthorityKey, out var authority)
                ? authority.YesNo switch { true => 4, false => 1, null => 2 }
                : 1,
            Need = facts.Answers.TryGetValue(NeedKey, out var need)
                ? need.YesNo switch { false => 1, true => 4, null => string.IsNullOrWhiteSpace(need.Raw) ? 1 : 3 }
                : 1,
            Timeline = facts.Answers.TryGetValue(TimelineKey, out var timeline) && timeline.Date is { } date
                ? (date.DayNumber - today.DayNumber) switch { <= 92 => 4, <= 183 => 3, _ => 2 }
                : 1,
        };
    }

    public static bool IsQualified(IReadOnlyList<AgentQuestion> questions, TranscriptFacts facts, DateTimeOffset now)
    {
        if (facts.OptedOut || facts.NotInterested)
        {
            return false;
        }

        var scores = Score(facts, now);
        var asked = questions.Select(question => question.Key).ToHashSet(StringComparer.Ordinal);
        return (!asked.Contains(BudgetKey) || scores.Budget >= 3)
            && (!asked.Contains(AuthorityKey) || scores.Authority >= 3)
            && (!asked.Contains(NeedKey) || scores.Need >= 3)
            && (!asked.Contains(TimelineKey) || scores.Timeline >= 3);
    }
}
