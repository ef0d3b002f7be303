using System.Text.RegularExpressions;

namespace LeadGen.Simulator;

/// <summary>
/// Plays a <see cref="LeadPersona"/> on a ConversationRelay call: works out what kind of question the agent's reply ends
/// with (from its wording, as a person would: budget, decision, when, e-mail, permission, need) and answers it the
/// persona's way; scripted turns and the greeting interruption take precedence.
/// </summary>
public sealed partial class PersonaCaller(LeadPersona persona) : IRelayCaller
{
    private int _replies;

    public RelayCallerAction OnAgentReply(string agentReply)
    {
        _replies++;
        if (_replies == 1 && persona.Interrupt is { } interrupt)
        {
            return new RelayCallerAction.InterruptNext(interrupt.AfterWords, interrupt.Say);
        }

        if (persona.Turns.FirstOrDefault(turn => turn.At == _replies) is { } scripted)
        {
            return scripted switch
            {
                { Press: { Length: > 0 } digit } => new RelayCallerAction.Press(digit),
                { HangUp: true } => new RelayCallerAction.HangUp(),
                { Silent: true } => new RelayCallerAction.StaySilent(),
                { Say: { Length: > 0 } text } => new RelayCallerAction.Say(text),
                _ => new RelayCallerAction.StaySilent(),
            };
        }

        if (persona.Voicemail)
        {
            return new RelayCallerAction.StaySilent();
        }

        var kind = QuestionKind(agentReply);
        return kind is null
            ? new RelayCallerAction.StaySilent() // a goodbye or a statement: wait for the agent to end the call
            : new RelayCallerAction.Say(persona.Answers.GetValueOrDefault(kind) ?? persona.Answers.GetValueOrDefault("other") ?? "Sure.");
    }

    /// <summary>The kind of the reply's last question; null when it asks nothing.</summary>
    public static string? QuestionKind(string reply)
    {
        var question = LastQuestion(reply);
        if (question is null)
        {
            return null;
        }

        var q = question.ToLowerInvariant();
        return q switch
        {
            _ when q.Contains("e-mail", StringComparison.Ordinal) || q.Contains("email", StringComparison.Ordinal) => "email",
            _ when q.Contains("budget", StringComparison.Ordinal) || q.Contains("how much", StringComparison.Ordinal) || q.Contains("spend", StringComparison.Ordinal) => "budget",
            _ when q.Contains("decision", StringComparison.Ordinal) || q.Contains("decide", StringComparison.Ordinal) || q.Contains("sign off", StringComparison.Ordinal) => "authority",
            _ when q.StartsWith("when", StringComparison.Ordinal) || q.Contains("timeline", StringComparison.Ordinal) || q.Contains("how soon", StringComparison.Ordinal) => "timeline",
            _ when q.Contains("okay if", StringComparison.Ordinal) || q.Contains("ok if", StringComparison.Ordinal) || q.Contains("permission", StringComparison.Ordinal) || q.Contains("consent", StringComparison.Ordinal) => "consent",
            _ when q.Contains("still there", StringComparison.Ordinal) => "other",
            _ => "need",
        };
    }

    private static string? LastQuestion(string reply)
    {
        // The last sentence that asks something ("Are you still there? I'm happy to wait." asks).
        return SentenceEnd().Split(reply.Trim()).Select(sentence => sentence.Trim()).LastOrDefault(sentence => sentence.EndsWith('?'));
    }

    [GeneratedRegex(@"(?<=[.!?])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
