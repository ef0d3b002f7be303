using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadGen.Core.Agent.Extraction;

/// <summary>
/// Rule-based reading of what a lead said (the offline engine's "understanding"): yes/no, numbers, money, dates,
/// e-mail addresses and requests to stop calling. Deterministic and English-only; anything it cannot read is left
/// unset rather than guessed.
/// </summary>
public static partial class AnswerRules
{
    private static readonly string[] OptOutPhrases =
    [
        "stop calling", "don't call", "do not call", "dont call", "never call", "remove me", "remove my number",
        "take me off", "put me on your do not call", "unsubscribe", "stop contacting", "leave me alone",
    ];

    // Declining the conversation itself ("not interested", "we're happy with what we have"): a polite close, never an
    // answer. A bare "no" is not here: to a yes/no question it is a real answer.
    private static readonly string[] RefusalPhrases =
    [
        "not interested", "no interest", "no thanks", "no thank you", "no, thanks", "no, thank you", "not for us",
        "isn't for us", "not for me", "isn't for me", "we're all set", "we are all set", "i'm all set", "happy with what we", "happy with our current",
        "happy with the one we", "fine with what we", "satisfied with what we", "satisfied with our current",
        "don't want to buy", "not buying",
    ];

    private static readonly string[] HumanPhrases =
    [
        "speak to a human", "talk to a human", "speak to a person", "talk to a person", "real person", "speak to someone",
        "talk to someone", "representative", "human agent", "transfer me", "speak with a human", "speak with someone",
    ];

    private static readonly string[] CallbackPhrases =
    [
        "call me back", "call back", "callback", "ring me back", "another time", "not a good time", "bad time", "i'm busy",
        "i am busy", "later today", "try me later",
    ];

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["fifteen"] = 15, ["twenty"] = 20,
        ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["hundred"] = 100, ["a dozen"] = 12, ["a couple"] = 2,
        ["a few"] = 3, ["a hundred"] = 100, ["a thousand"] = 1000,
    };

    private static readonly Dictionary<string, decimal> Multipliers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["k"] = 1_000m, ["thousand"] = 1_000m, ["grand"] = 1_000m, ["m"] = 1_000_000m, ["mm"] = 1_000_000m,
        ["million"] = 1_000_000m, ["b"] = 1_000_000_000m, ["billion"] = 1_000_000_000m,
    };

    public static bool IsOptOut(string text) => ContainsAny(text, OptOutPhrases);

    public static bool IsRefusal(string text) => ContainsAny(text, RefusalPhrases);

    public static bool WantsHuman(string text) => ContainsAny(text, HumanPhrases);

    public static bool WantsCallback(string text) => ContainsAny(text, CallbackPhrases);

    /// <summary>
    /// True when the reply steers the call rather than answers the question: an opt-out, a refusal, a request for a
    /// person or a callback. Such a reply is never recorded as the answer to what was asked.
    /// </summary>
    public static bool SteersTheCall(string text) => IsOptOut(text) || IsRefusal(text) || WantsHuman(text) || WantsCallback(text);

    /// <summary>
    /// True for yes, false for no, null when the answer is neither (or both). A reply that opens with yes or no is
    /// read by its opening ("Yes, we have no way to follow up" is a yes); otherwise any negation makes it a no.
    /// </summary>
    public static bool? ReadYesNo(string text)
    {
        var normalized = Normalize(text).Trim();
        if (normalized.Contains("yes and no", StringComparison.Ordinal) || normalized.Contains("yes or no", StringComparison.Ordinal))
        {
            return null;
        }

        if (LeadingYesPattern().IsMatch(normalized))
        {
            return true;
        }

        if (LeadingNoPattern().IsMatch(normalized))
        {
            return false;
        }

        var no = NoPattern().IsMatch(normalized);
        var yes = YesPattern().IsMatch(normalized);
        return (yes, no) switch
        {
            (true, false) => true,
            (false, true) => false,
            _ => null,
        };
    }

    /// <summary>The first whole number mentioned, in digits ("25", "1,200") or simple words ("twelve", "a dozen").</summary>
    public static decimal? ReadNumber(string text)
    {
        var digits = NumberPattern().Match(text);
        if (digits.Success)
        {
            var value = decimal.Parse(digits.Groups["value"].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            return ApplyMultiplier(value, digits.Groups["unit"].Value);
        }

        var normalized = Normalize(text);
        foreach (var (word, number) in NumberWords.OrderByDescending(pair => pair.Key.Length))
        {
            if (Regex.IsMatch(normalized, $@"\b{Regex.Escape(word)}\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                return number;
            }
        }

        return null;
    }

    /// <summary>An amount of money: "$50k", "50,000 dollars", "1.5 million", "€20 000", "about 30 grand".</summary>
    public static MoneyAmount? ReadMoney(string text)
    {
        var match = MoneyPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var currencyHint = match.Groups["symbol"].Value + match.Groups["word"].Value;
        var hasMoneySignal = currencyHint.Length > 0 || match.Groups["unit"].Success && match.Groups["unit"].Value.Length > 0;
        if (!hasMoneySignal && !Regex.IsMatch(text, @"\b(budget|spend|cost|price|pay)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            return null;
        }

        var value = decimal.Parse(match.Groups["value"].Value.Replace(",", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var amount = ApplyMultiplier(value, match.Groups["unit"].Value);
        var currency = currencyHint.ToLowerInvariant() switch
        {
            "€" or "euro" or "euros" => "EUR",
            "£" or "pound" or "pounds" => "GBP",
            _ => "USD",
        };
        return new MoneyAmount(amount, currency);
    }

    /// <summary>The first e-mail address in the text (lower-cased), also when spoken as "name at domain dot com".</summary>
    public static string? ReadEmail(string text)
    {
        var spoken = SpokenEmailPattern().Replace(text, match => $"{match.Groups[1].Value}@{match.Groups[2].Value}.{match.Groups[3].Value}");
        var match = EmailPattern().Match(spoken);
        return match.Success ? match.Value.ToLowerInvariant() : null;
    }

    /// <summary>
    /// A date the lead named, relative to <paramref name="today"/>: ISO dates, "tomorrow", weekdays, "next week/month",
    /// "in 3 weeks", month names ("in March" = the next March), quarters ("Q3"), "end of the year".
    /// </summary>
    public static DateOnly? ReadDate(string text, DateOnly today)
    {
        var normalized = Normalize(text);
        var iso = IsoDatePattern().Match(normalized);
        if (iso.Success && DateOnly.TryParseExact(iso.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
        {
            return exact;
        }

        if (normalized.Contains("today", StringComparison.Ordinal))
        {
            return today;
        }

        if (normalized.Contains("tomorrow", StringComparison.Ordinal))
        {
            return today.AddDays(1);
        }

        var relative = RelativePattern().Match(normalized);
        if (relative.Success)
        {
            var count = (int)(ReadNumber(relative.Groups["count"].Value) ?? 1);
            return relative.Groups["unit"].Value switch
            {
                var unit when unit.StartsWith("day", StringComparison.Ordinal) => today.AddDays(count),
                var unit when unit.StartsWith("week", StringComparison.Ordinal) => today.AddDays(7 * count),
                var unit when unit.StartsWith("month", StringComparison.Ordinal) => today.AddMonths(count),
                _ => today.AddYears(count),
            };
        }

        if (normalized.Contains("next week", StringComparison.Ordinal))
        {
            return today.AddDays(7);
        }

        if (normalized.Contains("next month", StringComparison.Ordinal))
        {
            return today.AddMonths(1);
        }

        if (normalized.Contains("next year", StringComparison.Ordinal))
        {
            return new DateOnly(today.Year + 1, 1, 1);
        }

        if (normalized.Contains("end of the year", StringComparison.Ordinal) || normalized.Contains("end of year", StringComparison.Ordinal))
        {
            return new DateOnly(today.Year, 12, 31);
        }

        var quarter = QuarterPattern().Match(normalized);
        if (quarter.Success)
        {
            var q = int.Parse(quarter.Groups["q"].Value, CultureInfo.InvariantCulture);
            var start = new DateOnly(today.Year, ((q - 1) * 3) + 1, 1);
            return start.AddMonths(3) <= today ? start.AddYears(1) : (start < today ? today : start);
        }

        for (var month = 1; month <= 12; month++)
        {
            var name = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month).ToLowerInvariant();
            if (Regex.IsMatch(normalized, $@"\b{name}\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                var candidate = new DateOnly(today.Year, month, 1);
                return candidate.AddMonths(1) <= today ? candidate.AddYears(1) : (candidate < today ? today : candidate);
            }
        }

        for (var day = DayOfWeek.Sunday; day <= DayOfWeek.Saturday; day++)
        {
            if (Regex.IsMatch(normalized, $@"\b{day.ToString().ToLowerInvariant()}\b", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                var ahead = ((int)day - (int)today.DayOfWeek + 7) % 7;
                return today.AddDays(ahead == 0 ? 7 : ahead);
            }
        }

        return null;
    }

    /// <summary>A clock time ("3pm", "at 10:30", "15:00"), if one is named.</summary>
    public static TimeOnly? ReadTime(string text)
    {
        var match = TimePattern().Match(Normalize(text));
        if (!match.Success)
        {
            return null;
        }

        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var meridiem = match.Groups["ampm"].Value;
        if (meridiem.StartsWith('p') && hour < 12)
        {
            hour += 12;
        }
        else if (meridiem.StartsWith('a') && hour == 12)
        {
            hour = 0;
        }

        return hour is >= 0 and < 24 && minute is >= 0 and < 60 ? new TimeOnly(hour, minute) : null;
    }

    private static decimal ApplyMultiplier(decimal value, string unit) =>
        Multipliers.TryGetValue(unit.Trim(), out var multiplier) ? value * multiplier : value;

    private static bool ContainsAny(string text, string[] phrases)
    {
        var normalized = Normalize(text);
        return phrases.Any(phrase => normalized.Contains(phrase, StringComparison.Ordinal));
    }

    private static string Normalize(string text) =>
        text.ToLowerInvariant().Replace('’', '\'').Replace('‘', '\'');

    [GeneratedRegex(@"\b(yes|yeah|yep|yup|sure|certainly|correct|absolutely|definitely|of course|that's right|i am|i do|we do|we are|indeed|affirmative|i'm the one|that's me)\b(?!\s+not\b)", RegexOptions.CultureInvariant)]
    private static partial Regex YesPattern();

    [GeneratedRegex(@"^(yes|yeah|yep|yup|sure|certainly|correct|absolutely|definitely|of course|that's right|indeed|we do|i do|we are|i am)\b(?!\s+not\b)", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingYesPattern();

    [GeneratedRegex(@"^(no|nope|nah|not really|never)\b(?!\s+(doubt|question|problem)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNoPattern();

    [GeneratedRegex(@"\b(no|nope|nah|not|don't|do not|doesn't|isn't|aren't|never|negative|someone else|my boss)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoPattern();

    [GeneratedRegex(@"(?<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?<unit>k|thousand|grand|mm|m|million|b|billion)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<symbol>[$€£])?\s*(?<value>\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?<unit>k|thousand|grand|mm|m|million|b|billion)?\b\s*(?<word>dollars|usd|euros?|pounds?)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b([a-z0-9._%+-]+)\s+at\s+([a-z0-9-]+)\s+dot\s+([a-z]{2,})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SpokenEmailPattern();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDatePattern();

    [GeneratedRegex(@"\bin\s+(?<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a couple of|a few)\s+(?<unit>days?|weeks?|months?|years?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"\bq(?<q>[1-4])\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterPattern();

    [GeneratedRegex(@"\b(?<h>[01]?\d|2[0-3])(?::(?<m>[0-5]\d))?\s*(?<ampm>am|pm|a\.m\.|p\.m\.)|\b(?<h>[01]?\d|2[0-3]):(?<m>[0-5]\d)\b", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();
}

public sealed record MoneyAmount(decimal Amount, string Currency);
