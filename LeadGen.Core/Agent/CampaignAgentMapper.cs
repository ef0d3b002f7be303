using LeadGen.Core.Campaigns;

namespace LeadGen.Core.Agent;

/// <summary>Turns a stored campaign into what the agent needs, inferring each question's answer kind from its wording.</summary>
public static class CampaignAgentMapper
{
    private static readonly string[] YesNoOpeners = ["do ", "does ", "are ", "is ", "have ", "has ", "would ", "will ", "can ", "could ", "did ", "should "];

    public static AgentCampaign ToAgentCampaign(this Campaign campaign)
    {
        var settings = campaign.Settings;
        var product = string.Join(": ", new[] { settings.ProductName, settings.Description }.Where(part => !string.IsNullOrWhiteSpace(part)));
        return new AgentCampaign
        {
            Id = campaign.Id,
            Name = campaign.Name,
            AgentName = settings.PersonaName,
            CompanyName = string.IsNullOrWhiteSpace(settings.CompanyName) ? campaign.Name : settings.CompanyName,
            ProductDescription = product.Length == 0 ? null : product,
            Facts = [.. Lines(settings.CompanyFacts), .. Lines(settings.ProductFacts)],
            Questions = [.. settings.QualificationQuestions.Select(question => new AgentQuestion(question.Key, question.Question, InferKind(question.Key, question.Question)))],
            AdditionalInstructions = settings.AgentInstructions,
            Language = settings.Language,
            RecordsCalls = settings.RecordCalls,
        };
    }

    /// <summary>
    /// The kind of answer a question expects, from its key first (budget, authority, timeline, email) and then its
    /// wording ("how much" → money, "how many" → number, "when" → date, "Do you…?" → yes/no); free text otherwise.
    /// </summary>
    public static AnswerKind InferKind(string key, string question)
    {
        var k = key.ToLowerInvariant();
        var q = question.Trim().ToLowerInvariant();
        if (k.Contains("email", StringComparison.Ordinal) || q.Contains("e-mail", StringComparison.Ordinal) || q.Contains("email", StringComparison.Ordinal))
        {
            return AnswerKind.Email;
        }

        if (k.Contains("budget", StringComparison.Ordinal) || q.Contains("how much", StringComparison.Ordinal) || q.Contains("budget", StringComparison.Ordinal))
        {
            return AnswerKind.Money;
        }

        if (k.Contains("timeline", StringComparison.Ordinal) || k.Contains("timeframe", StringComparison.Ordinal) || q.StartsWith("when ", StringComparison.Ordinal))
        {
            return AnswerKind.Date;
        }

        if (q.StartsWith("how many", StringComparison.Ordinal))
        {
            return AnswerKind.Number;
        }

        if (k.Contains("authority", StringComparison.Ordinal) || k.Contains("decision", StringComparison.Ordinal) || YesNoOpeners.Any(opener => q.StartsWith(opener, StringComparison.Ordinal)))
        {
            return AnswerKind.YesNo;
        }

        return AnswerKind.Text;
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.TrimStart('-', '*', ' '))
            .Where(line => line.Length > 0);
}
