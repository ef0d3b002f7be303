namespace LeadGen.Core.Agent.Extraction;

/// <summary>What the rules read from the lead's reply to one question (only the field for its kind is set).</summary>
public sealed record ExtractedAnswer(AgentQuestion Question, string Raw)
{
    public bool? YesNo { get; init; }

    public decimal? Number { get; init; }

    public MoneyAmount? Money { get; init; }

    public DateOnly? Date { get; init; }

    public string? Email { get; init; }

    /// <summary>The answer as one normalised string (stored in the lead's qualification fields).</summary>
    public string Normalized => Question.Kind switch
    {
        AnswerKind.YesNo when YesNo is { } yes => yes ? "yes" : "no",
        AnswerKind.Number when Number is { } number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnswerKind.Money when Money is { } money => $"{money.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} {money.Currency}",
        AnswerKind.Date when Date is { } date => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        AnswerKind.Email when Email is { } email => email,
        _ => Raw.Trim(),
    };

    public static ExtractedAnswer Read(AgentQuestion question, string reply, DateOnly today) => question.Kind switch
    {
        AnswerKind.YesNo => new ExtractedAnswer(question, reply) { YesNo = AnswerRules.ReadYesNo(reply) },
        AnswerKind.Number => new ExtractedAnswer(question, reply) { Number = AnswerRules.ReadNumber(reply) },
        AnswerKind.Money => new ExtractedAnswer(question, reply) { Money = AnswerRules.ReadMoney(reply) ?? NoBudget(reply) },
        AnswerKind.Date => new ExtractedAnswer(question, reply) { Date = AnswerRules.ReadDate(reply, today) },
        AnswerKind.Email => new ExtractedAnswer(question, reply) { Email = AnswerRules.ReadEmail(reply) },
        _ => new ExtractedAnswer(question, reply),
    };

    /// <summary>"No budget" / "nothing set aside" is an answer too: zero.</summary>
    private static MoneyAmount? NoBudget(string reply) =>
        AnswerRules.ReadYesNo(reply) == false || reply.Contains("nothing", StringComparison.OrdinalIgnoreCase) ? new MoneyAmount(0, "USD") : null;
}
