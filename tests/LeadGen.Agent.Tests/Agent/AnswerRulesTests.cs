using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Extraction;

namespace LeadGen.Agent.Tests.Agent;

public sealed class AnswerRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 25); // a Wednesday

    [Theory]
    [InlineData("Yes, absolutely", true)]
    [InlineData("yeah we do", true)]
    [InlineData("No, not really", false)]
    [InlineData("Nope", false)]
    [InlineData("I'm not the decision maker, my boss is", false)]
    [InlineData("Maybe", null)]
    [InlineData("Yes and no", null)]
    public void Reads_yes_and_no(string text, bool? expected) => Assert.Equal(expected, AnswerRules.ReadYesNo(text));

    [Theory]
    [InlineData("$50k", 50_000, "USD")]
    [InlineData("about 50,000 dollars", 50_000, "USD")]
    [InlineData("1.5 million", 1_500_000, "USD")]
    [InlineData("€20 000 per year", 20_000, "EUR")]
    [InlineData("our budget is 8000", 8_000, "USD")]
    [InlineData("around 30 grand", 30_000, "USD")]
    public void Reads_money(string text, decimal amount, string currency) =>
        Assert.Equal(new MoneyAmount(amount, currency), AnswerRules.ReadMoney(text));

    [Theory]
    [InlineData("we have 12 people")]
    [InlineData("I don't know")]
    public void Does_not_mistake_plain_numbers_or_nothing_for_money(string text) => Assert.Null(AnswerRules.ReadMoney(text));

    [Theory]
    [InlineData("about twelve", 12)]
    [InlineData("1,200 seats", 1200)]
    [InlineData("a dozen or so", 12)]
    public void Reads_numbers(string text, int expected) => Assert.Equal(expected, AnswerRules.ReadNumber(text));

    [Theory]
    [InlineData("tomorrow", "2026-11-26")]
    [InlineData("in 3 weeks", "2026-12-16")]
    [InlineData("in a couple of months", "2027-01-25")]
    [InlineData("next month", "2026-12-25")]
    [InlineData("by March", "2027-03-01")]
    [InlineData("Q1", "2027-01-01")]
    [InlineData("Friday", "2026-11-27")]
    [InlineData("on 2027-02-14", "2027-02-14")]
    [InlineData("end of the year", "2026-12-31")]
    public void Reads_dates_relative_to_today(string text, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), AnswerRules.ReadDate(text, Today));

    [Theory]
    [InlineData("sure, it's Jane.Doe@Example.com", "jane.doe@example.com")]
    [InlineData("jane at globex dot com", "jane@globex.com")]
    [InlineData("I'd rather not say", null)]
    public void Reads_emails(string text, string? expected) => Assert.Equal(expected, AnswerRules.ReadEmail(text));

    [Theory]
    [InlineData("Please stop calling me", true)]
    [InlineData("Don't call this number again", true)]
    [InlineData("Take me off your list", true)]
    [InlineData("I'd stop by tomorrow", false)]
    public void Recognises_opt_out(string text, bool expected) => Assert.Equal(expected, AnswerRules.IsOptOut(text));

    [Theory]
    [InlineData("3pm", 15, 0)]
    [InlineData("at 10:30", 10, 30)]
    [InlineData("12 am", 0, 0)]
    public void Reads_times(string text, int hour, int minute) => Assert.Equal(new TimeOnly(hour, minute), AnswerRules.ReadTime(text));

    [Theory]
    [InlineData("budget", "What budget do you have?", AnswerKind.Money)]
    [InlineData("decision_maker", "Who signs off?", AnswerKind.YesNo)]
    [InlineData("timeline", "By when?", AnswerKind.Date)]
    [InlineData("seats", "How many people would use it?", AnswerKind.Number)]
    [InlineData("contact", "What is your email?", AnswerKind.Email)]
    [InlineData("current_tool", "Do you use a CRM today?", AnswerKind.YesNo)]
    [InlineData("pain", "What is your biggest challenge?", AnswerKind.Text)]
    public void Infers_the_answer_kind_of_campaign_questions(string key, string question, AnswerKind expected) =>
        Assert.Equal(expected, CampaignAgentMapper.InferKind(key, question));
}
