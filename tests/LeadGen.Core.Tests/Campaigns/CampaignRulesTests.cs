using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Tests.Campaigns;

/// <summary>The campaign rules on their own (no API, no form): every bad field is reported by its path, nothing is returned.</summary>
public sealed class CampaignRulesTests
{
    private static readonly PhoneNumberNormalizer Phones = new(Options.Create(new LeadOptions { DefaultRegion = "US" }));

    [Fact]
    public void A_valid_request_becomes_settings_with_defaults_and_normalised_numbers()
    {
        var errors = new List<(string Field, string Message)>();

        var result = CampaignRules.Validate(
            new CampaignRequest("  Spring solar  ", new CampaignSettingsRequest { CallerId = "(415) 555-0100", CallingWindowStart = "10:00", MaxAttempts = 5 }),
            Phones,
            (field, message) => errors.Add((field, message)));

        Assert.Empty(errors);
        var (name, settings) = Assert.NotNull(result);
        Assert.Equal("Spring solar", name);
        Assert.Equal("+14155550100", settings.CallerId);
        Assert.Equal(new TimeOnly(10, 0), settings.CallingWindowStart);
        Assert.Equal(5, settings.MaxAttempts);
        Assert.Equal(new CampaignSettings().RetrySpacingMinutes, settings.RetrySpacingMinutes);
    }

    [Fact]
    public void Every_bad_field_is_reported_by_its_path_and_nothing_is_returned()
    {
        var errors = new List<(string Field, string Message)>();

        var result = CampaignRules.Validate(
            new CampaignRequest("", new CampaignSettingsRequest
            {
                CallingWindowStart = "18:00",
                CallingWindowEnd = "9am",
                MaxAttempts = 0,
                VoicemailAction = "leave_message",
                QualificationQuestions = [new QualificationQuestion("Budget", "What budget?"), new QualificationQuestion("need", "")],
            }),
            Phones,
            (field, message) => errors.Add((field, message)));

        Assert.Null(result);
        Assert.Contains(("name", "A name is required."), errors);
        Assert.Contains(("settings.callingWindowEnd", "Use 24-hour HH:mm, e.g. 09:30."), errors);
        Assert.Contains(("settings.maxAttempts", "Between 1 and 20."), errors);
        Assert.Contains(("settings.voicemailMessage", "Required when voicemailAction is leave_message."), errors);
        Assert.Contains(errors, error => error.Field == "settings.qualificationQuestions[0].key");
        Assert.Contains(errors, error => error.Field == "settings.qualificationQuestions[1].question");
    }
}
