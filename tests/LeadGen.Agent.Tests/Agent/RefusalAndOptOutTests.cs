using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Analysis;
using LeadGen.Core.Agent.Extraction;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Gemini.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Agent.Tests.Agent;

/// <summary>
/// Refusals and opt-outs through the real offline engine and its analysis: a lead who declines gets a polite close
/// (no_interest), one who opts out is put on the do-not-call list, and neither is ever recorded as an answer; replies
/// that merely contain "no" are still read as answers.
/// </summary>
public sealed class RefusalAndOptOutTests
{
    private static readonly AgentCampaign Campaign = new()
    {
        Id = Guid.NewGuid(),
        Name = "Spring",
        CompanyName = "Acme",
        Questions =
        [
            new AgentQuestion("need", "Are you looking for a better way to handle inbound leads?", AnswerKind.YesNo),
            new AgentQuestion("budget", "What budget have you set aside for this?", AnswerKind.Money),
            new AgentQuestion("authority", "Are you the person who makes the final decision?", AnswerKind.YesNo),
            new AgentQuestion("timeline", "When would you like to have a solution in place?", AnswerKind.Date),
        ],
    };

    private static readonly string[] Refusals =
    [
        "No, not really, we're happy with what we have.",
        "Not interested.",
        "I'm not interested, thanks.",
        "No thanks.",
        "No thank you, we're all set.",
        "We're happy with our current provider.",
        "Honestly this isn't for us.",
        "We're not interested in buying anything right now.",
        "Nah, we're fine with what we've got.",
        "We are quite satisfied with what we have, thank you.",
    ];

    private static readonly string[] OptOuts =
    [
        "Please stop calling me.",
        "Please stop calling me, I'm not interested.",
        "Take me off your list.",
        "Don't call this number again.",
        "Remove me from your list, please.",
        "Do not call me again.",
        "Put me on your do not call list.",
        "Never call here again.",
        "Just leave me alone.",
        "No. Stop contacting us.",
    ];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));

    public static TheoryData<string, int> RefusalsToEachQuestion() => Cross(Refusals);

    public static TheoryData<string, int> OptOutsToEachQuestion() => Cross(OptOuts);

    [Theory]
    [MemberData(nameof(RefusalsToEachQuestion))]
    public async Task A_refusal_gets_a_polite_close_as_not_interested_and_is_not_recorded(string reply, int asked)
    {
        var turn = await TakeTurnAsync(asked, reply);

        Assert.DoesNotContain(QualificationTools.RecordLeadDetails, turn.ToolNames);
        Assert.DoesNotContain(QualificationTools.MarkDoNotCall, turn.ToolNames);
        var end = Assert.Single(turn.Calls, call => call.Name == QualificationTools.EndCall);
        Assert.Equal("no_interest", end.Arguments!["outcome"]);
        Assert.Equal(AgentScript.ClosingNotInterested, turn.Reply);
        Assert.DoesNotContain(Campaign.Questions, question => turn.Reply.Contains(question.Text, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OptOutsToEachQuestion))]
    public async Task An_opt_out_marks_do_not_call_and_is_not_recorded(string reply, int asked)
    {
        var turn = await TakeTurnAsync(asked, reply);

        Assert.DoesNotContain(QualificationTools.RecordLeadDetails, turn.ToolNames);
        Assert.Contains(QualificationTools.MarkDoNotCall, turn.ToolNames);
        Assert.Equal("do_not_call", Assert.Single(turn.Calls, call => call.Name == QualificationTools.EndCall).Arguments!["outcome"]);
        Assert.Equal(new AgentScript(Campaign, "Jane").OptOutConfirmation, turn.Reply);
    }

    [Theory]
    [InlineData(0, "Yes, we have no way to follow up after hours.", "yes")]
    [InlineData(0, "No, we don't have that problem.", "no")]
    [InlineData(0, "We do, no question about it.", "yes")]
    [InlineData(0, "Nope, our team handles it fine.", "no")]
    [InlineData(1, "No budget yet, nothing set aside.", "0 USD")]
    [InlineData(1, "Not sure, maybe $20k.", "20000 USD")]
    [InlineData(1, "No more than 15 thousand dollars.", "15000 USD")]
    [InlineData(2, "No, my boss decides.", "no")]
    [InlineData(2, "I am not the one who decides.", "no")]
    [InlineData(2, "We are not, the board decides.", "no")]
    [InlineData(2, "Yes, nobody else signs off.", "yes")]
    [InlineData(3, "Not before next month.", "2026-12-25")]
    [InlineData(3, "No rush, in 3 weeks or so.", "2026-12-16")]
    public async Task A_real_answer_that_contains_no_is_recorded_and_the_script_goes_on(int asked, string reply, string recorded)
    {
        var turn = await TakeTurnAsync(asked, reply);

        var details = Assert.Single(turn.Calls, call => call.Name == QualificationTools.RecordLeadDetails);
        var answer = Assert.Single((IEnumerable<Dictionary<string, string>>)details.Arguments!["answers"]!);
        Assert.Equal(Campaign.Questions[asked].Key, answer["key"]);
        Assert.Equal(recorded, answer["answer"]);
        Assert.DoesNotContain(QualificationTools.MarkDoNotCall, turn.ToolNames);
        if (asked + 1 < Campaign.Questions.Count)
        {
            Assert.DoesNotContain(QualificationTools.EndCall, turn.ToolNames);
            Assert.Equal("Thank you. " + Campaign.Questions[asked + 1].Text, turn.Reply);
        }
    }

    [Theory]
    [MemberData(nameof(RefusalsToEachQuestion))]
    [MemberData(nameof(OptOutsToEachQuestion))]
    public async Task Analysis_never_records_a_refusal_or_opt_out_as_an_answer(string reply, int asked)
    {
        // Everything before the refusal was answered well; the refusal itself must add nothing.
        var transcript = new List<TranscriptLine>();
        string[] goodAnswers = ["Yes, we lose leads after hours.", "About $40k.", "Yes, I sign off on it.", "In 6 weeks."];
        for (var i = 0; i < asked; i++)
        {
            transcript.Add(new TranscriptLine(false, Campaign.Questions[i].Text));
            transcript.Add(new TranscriptLine(true, goodAnswers[i]));
        }

        transcript.Add(new TranscriptLine(false, Campaign.Questions[asked].Text));
        transcript.Add(new TranscriptLine(true, reply));
        var analysis = await AnalyzeAsync(transcript);

        Assert.False(analysis.Qualified);
        Assert.DoesNotContain(reply.Trim().TrimEnd('.'), analysis.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"answered {asked} of {Campaign.Questions.Count} questions", analysis.Summary, StringComparison.Ordinal);
        var unanswered = Campaign.Questions[asked].Key;
        Assert.Equal(1, unanswered switch
        {
            "need" => analysis.Bant.Need,
            "budget" => analysis.Bant.Budget,
            "authority" => analysis.Bant.Authority,
            _ => analysis.Bant.Timeline,
        });
        var expectedScore = new BantScores { Need = asked > 0 ? 4 : 1, Budget = asked > 1 ? 4 : 1, Authority = asked > 2 ? 4 : 1, Timeline = 1 }.ToOverallScore();
        Assert.Equal(expectedScore, analysis.OverallScore);
        Assert.StartsWith("None:", analysis.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opt_out_conversation_scores_zero_and_records_no_budget()
    {
        var analysis = await AnalyzeAsync([
            new TranscriptLine(false, "Hi Jane, this is Alex from Acme. " + Campaign.Questions[1].Text),
            new TranscriptLine(true, "Please stop calling me, this is the third time."),
            new TranscriptLine(false, "Understood. I've removed your number."),
        ]);

        Assert.Equal(0, analysis.OverallScore);
        Assert.Equal(1, analysis.Bant.Budget);
        Assert.DoesNotContain("budget:", analysis.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("stop calling", analysis.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("None: the lead is on the do-not-call list.", analysis.NextStep);
    }

    private static TheoryData<string, int> Cross(string[] replies)
    {
        var data = new TheoryData<string, int>();
        for (var i = 0; i < replies.Length; i++)
        {
            data.Add(replies[i], i % Campaign.Questions.Count); // every phrasing, spread over every question
        }

        return data;
    }

    private async Task<CallAnalysis> AnalyzeAsync(List<TranscriptLine> transcript)
    {
        var engine = new OfflineChatClient(_time, NullLogger<OfflineChatClient>.Instance);
        var input = new AnalysisInput(Campaign.Questions, transcript, null);
        var response = await engine.GetResponseAsync("analyse", new ChatOptions { ResponseFormat = ChatResponseFormat.Json }.WithAnalysisInput(input));
        return CallAnalysisSchema.Parse(response.Text);
    }

    /// <summary>One full turn as the agent runs it: the tool round (tools answer "ok"), then the spoken reply.</summary>
    private async Task<Turn> TakeTurnAsync(int asked, string reply)
    {
        var script = new AgentScript(Campaign, "Jane");
        var agentLine = asked == 0 ? script.Disclosure + " " + Campaign.Questions[0].Text : "Thank you. " + Campaign.Questions[asked].Text;
        List<ChatMessage> history = [new(ChatRole.User, AgentSession.ConnectedCue), new(ChatRole.Assistant, agentLine), new(ChatRole.User, reply)];
        var options = new ChatOptions().WithScript(script);
        var engine = new OfflineChatClient(_time, NullLogger<OfflineChatClient>.Instance);

        var first = await engine.GetResponseAsync(history, options);
        var calls = first.Messages.SelectMany(message => message.Contents.OfType<FunctionCallContent>()).ToList();
        if (calls.Count == 0)
        {
            return new Turn(calls, first.Text);
        }

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [.. calls.Select(call => new FunctionResultContent(call.CallId, "ok"))]));
        var spoken = await engine.GetResponseAsync(history, options);
        return new Turn(calls, spoken.Text);
    }

    private sealed record Turn(List<FunctionCallContent> Calls, string Reply)
    {
        public IEnumerable<string> ToolNames => Calls.Select(call => call.Name);
    }
}
