using System.Globalization;
using System.Text.RegularExpressions;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Leads;

namespace LeadGen.Core.Campaigns;

/// <summary>
/// The campaign rules (as <see cref="LeadFieldRules"/> are the lead's): validates a <see cref="CampaignRequest"/> into
/// domain values, reporting every bad field (JSON path, message) to <c>error</c>. One source for the /api endpoints
/// and the console's campaign form.
/// </summary>
public static partial class CampaignRules
{
    private const int LongTextLimit = 20_000;

    /// <returns>The name and settings, or null when any field was reported.</returns>
    public static (string Name, CampaignSettings Settings)? Validate(CampaignRequest request, PhoneNumberNormalizer phones, Action<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(phones);
        var validation = new Errors(error);
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            validation.Add("name", "A name is required.");
        }
        else if (name.Length > 200)
        {
            validation.Add("name", "At most 200 characters.");
        }

        var input = request.Settings ?? new CampaignSettingsRequest();
        var defaults = new CampaignSettings();
        string? Text(string field, string? value, int max)
        {
            value = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            validation.Check("settings." + field, LeadFieldRules.CheckLength(value, max));
            return value;
        }

        TimeOnly Time(string field, string? value, TimeOnly fallback)
        {
            if (value is null)
            {
                return fallback;
            }

            if (TimeOnly.TryParseExact(value, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return time;
            }

            validation.Add("settings." + field, "Use 24-hour HH:mm, e.g. 09:30.");
            return fallback;
        }

        string? Phone(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            var result = phones.Normalize(value);
            validation.Check("settings." + field, result.Error);
            return result.E164;
        }

        var questions = input.QualificationQuestions ?? [];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            if (question is null || question.Key is null || !QuestionKey().IsMatch(question.Key))
            {
                validation.Add($"settings.qualificationQuestions[{i}].key", "Use lower-case letters, digits and '_', starting with a letter (at most 50).");
            }
            else if (!keys.Add(question.Key))
            {
                validation.Add($"settings.qualificationQuestions[{i}].key", $"'{question.Key}' is used twice.");
            }

            if (string.IsNullOrWhiteSpace(question?.Question) || question.Question.Length > 500)
            {
                validation.Add($"settings.qualificationQuestions[{i}].question", "A question of 1 to 500 characters is required.");
            }
        }

        var start = Time("callingWindowStart", input.CallingWindowStart, defaults.CallingWindowStart);
        var end = Time("callingWindowEnd", input.CallingWindowEnd, defaults.CallingWindowEnd);
        if (start >= end)
        {
            validation.Add("settings.callingWindowEnd", "Must be later than callingWindowStart.");
        }

        var maxAttempts = input.MaxAttempts ?? defaults.MaxAttempts;
        if (maxAttempts is < 1 or > 20)
        {
            validation.Add("settings.maxAttempts", "Between 1 and 20.");
        }

        var spacing = input.RetrySpacingMinutes ?? defaults.RetrySpacingMinutes;
        if (spacing is < 1 or > 43_200)
        {
            validation.Add("settings.retrySpacingMinutes", "Between 1 and 43200 (30 days).");
        }

        var voicemailAction = input.VoicemailAction ?? defaults.VoicemailAction;
        if (!VoicemailActions.All.Contains(voicemailAction))
        {
            validation.Add("settings.voicemailAction", $"One of: {string.Join(", ", VoicemailActions.All)}.");
        }

        var voicemailMessage = Text("voicemailMessage", input.VoicemailMessage, 2000);
        if (voicemailAction == VoicemailActions.LeaveMessage && voicemailMessage is null)
        {
            validation.Add("settings.voicemailMessage", "Required when voicemailAction is leave_message.");
        }

        if (input.MaxConcurrentCalls is < 1 or > CampaignSettings.MaxConcurrentCallsLimit)
        {
            validation.Add("settings.maxConcurrentCalls", $"Between 1 and {CampaignSettings.MaxConcurrentCallsLimit}, or omitted for the dialer's default.");
        }

        var voiceMode = input.VoiceMode ?? defaults.VoiceMode;
        if (!VoiceModes.All.Contains(voiceMode))
        {
            validation.Add("settings.voiceMode", $"One of: {string.Join(", ", VoiceModes.All)}.");
        }

        var turnTaking = TurnTaking(input.TurnTaking, defaults.TurnTaking, validation);
        var personaName = Text("personaName", input.PersonaName, 100) ?? defaults.PersonaName;
        var language = Text("language", input.Language, 35) ?? defaults.Language;
        if (language.Length < 2)
        {
            validation.Add("settings.language", "A BCP-47 tag such as en-US.");
        }

        var defaultZone = Text("defaultTimeZone", input.DefaultTimeZone, 64);
        validation.Check("settings.defaultTimeZone", LeadFieldRules.CheckTimeZone(defaultZone));

        var settings = new CampaignSettings
        {
            Description = Text("description", input.Description, 2000),
            PersonaName = personaName,
            AgentInstructions = Text("agentInstructions", input.AgentInstructions, LongTextLimit),
            Language = language,
            Voice = Text("voice", input.Voice, 100),
            CompanyName = Text("companyName", input.CompanyName, 200),
            CompanyFacts = Text("companyFacts", input.CompanyFacts, LongTextLimit),
            ProductName = Text("productName", input.ProductName, 200),
            ProductFacts = Text("productFacts", input.ProductFacts, LongTextLimit),
            QualificationQuestions = questions.Where(q => q is not null).Select(q => q with { Question = q.Question?.Trim() ?? string.Empty }).ToList(),
            CallingWindowStart = start,
            CallingWindowEnd = end,
            DefaultTimeZone = defaultZone,
            MaxAttempts = maxAttempts,
            RetrySpacingMinutes = spacing,
            CallerId = Phone("callerId", input.CallerId),
            TransferNumber = Phone("transferNumber", input.TransferNumber),
            ConsentRequired = input.ConsentRequired ?? defaults.ConsentRequired,
            VoicemailAction = voicemailAction,
            VoicemailMessage = voicemailMessage,
            MaxConcurrentCalls = input.MaxConcurrentCalls,
            VoiceMode = voiceMode,
            TurnTaking = turnTaking,
            RecordCalls = input.RecordCalls ?? defaults.RecordCalls,
        };
        return validation.IsValid ? (name!, settings) : null;
    }

    private static RealtimeTurnTaking TurnTaking(TurnTakingRequest? input, RealtimeTurnTaking defaults, Errors validation)
    {
        SpeechSensitivity Sensitivity(string field, string? value, SpeechSensitivity fallback)
        {
            switch (value?.Trim().ToLowerInvariant())
            {
                case null or "":
                    return fallback;
                case "low":
                    return SpeechSensitivity.Low;
                case "high":
                    return SpeechSensitivity.High;
                default:
                    validation.Add("settings.turnTaking." + field, "One of: low, high.");
                    return fallback;
            }
        }

        var padding = input?.PrefixPaddingMs ?? defaults.PrefixPaddingMs;
        if (padding is < 0 or > RealtimeTurnTaking.MaxPrefixPaddingMs)
        {
            validation.Add("settings.turnTaking.prefixPaddingMs", $"Between 0 and {RealtimeTurnTaking.MaxPrefixPaddingMs} ms.");
        }

        var silence = input?.SilenceDurationMs ?? defaults.SilenceDurationMs;
        if (silence is < RealtimeTurnTaking.MinSilenceDurationMs or > RealtimeTurnTaking.MaxSilenceDurationMs)
        {
            validation.Add("settings.turnTaking.silenceDurationMs", $"Between {RealtimeTurnTaking.MinSilenceDurationMs} and {RealtimeTurnTaking.MaxSilenceDurationMs} ms.");
        }

        return new RealtimeTurnTaking(
            Sensitivity("startSensitivity", input?.StartSensitivity, defaults.StartSensitivity),
            Sensitivity("endSensitivity", input?.EndSensitivity, defaults.EndSensitivity),
            padding,
            silence,
            input?.InterruptOnSpeech ?? defaults.InterruptOnSpeech);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex QuestionKey();

    /// <summary>Passes each error on and remembers whether there was one.</summary>
    private sealed class Errors(Action<string, string> report)
    {
        public bool IsValid { get; private set; } = true;

        public void Add(string field, string message)
        {
            IsValid = false;
            report(field, message);
        }

        public void Check(string field, string? problem)
        {
            if (problem is not null)
            {
                Add(field, problem);
            }
        }
    }
}
