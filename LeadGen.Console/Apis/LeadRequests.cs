using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;

namespace LeadGen.Console.Apis;

/// <summary>Body of POST /api/campaigns/{id}/leads. Country (ISO 3166) helps read numbers without a country code.</summary>
public sealed record NewLeadRequest(
    string? Name,
    string? Phone,
    string? Email,
    string? Company,
    string? Role,
    string? TimeZone,
    string? Source,
    string? ConsentGivenAt,
    string? ConsentMethod,
    string? Country);

/// <summary>Turns lead requests into validated domain values with the same rules as the bulk import.</summary>
internal static class LeadRequestValidator
{
    private static readonly Dictionary<LeadColumn, string> JsonNames = new()
    {
        [LeadColumn.Name] = "name",
        [LeadColumn.FirstName] = "name",
        [LeadColumn.LastName] = "name",
        [LeadColumn.Phone] = "phone",
        [LeadColumn.Email] = "email",
        [LeadColumn.Company] = "company",
        [LeadColumn.Role] = "role",
        [LeadColumn.TimeZone] = "timeZone",
        [LeadColumn.Source] = "source",
        [LeadColumn.ConsentGivenAt] = "consentGivenAt",
        [LeadColumn.ConsentMethod] = "consentMethod",
        [LeadColumn.Country] = "country",
    };

    private static readonly HashSet<string> PatchableFields =
    [
        "name", "phone", "email", "company", "role", "timeZone", "source", "consentGivenAt", "consentMethod", "status",
        "nextAttemptAt", "score", "qualification",
    ];

    public static NewLead? Validate(NewLeadRequest request, LeadRowParser parser, Validation validation)
    {
        var record = new LeadRecord();
        record.Reset(1);
        record[LeadColumn.Name] = Clean(request.Name);
        record[LeadColumn.Phone] = Clean(request.Phone);
        record[LeadColumn.Email] = Clean(request.Email);
        record[LeadColumn.Company] = Clean(request.Company);
        record[LeadColumn.Role] = Clean(request.Role);
        record[LeadColumn.TimeZone] = Clean(request.TimeZone);
        record[LeadColumn.Source] = Clean(request.Source);
        record[LeadColumn.ConsentGivenAt] = Clean(request.ConsentGivenAt);
        record[LeadColumn.ConsentMethod] = Clean(request.ConsentMethod);
        record[LeadColumn.Country] = Clean(request.Country);
        var lead = parser.Parse(record, column => JsonNames[column]);
        foreach (var error in record.Errors)
        {
            validation.Add(error.Column ?? "body", error.Reason);
        }

        return lead;
    }

    /// <summary>JSON merge-patch semantics: present fields change (null clears), absent ones stay.</summary>
    public static LeadPatch? ValidatePatch(JsonObject body, PhoneNumberNormalizer phones, Validation validation)
    {
        foreach (var (field, _) in body)
        {
            if (!PatchableFields.Contains(field))
            {
                validation.Add(field, $"Unknown or read-only field. Patchable: {string.Join(", ", PatchableFields)}.");
            }
        }

        string? Text(string field, int max)
        {
            var value = Clean(ReadString(body, field, validation));
            validation.Check(field, LeadFieldRules.CheckLength(value, max));
            return value;
        }

        PatchField<T> Field<T>(string field, Func<T> read) => body.ContainsKey(field) ? PatchField.Of(read()) : default;

        var patch = new LeadPatch
        {
            Name = Field("name", () => Text("name", LeadFieldRules.MaxNameLength)),
            Email = Field("email", () =>
            {
                var email = Text("email", LeadFieldRules.MaxEmailLength);
                validation.Check("email", LeadFieldRules.CheckEmail(email));
                return email;
            }),
            Company = Field("company", () => Text("company", LeadFieldRules.MaxNameLength)),
            Role = Field("role", () => Text("role", LeadFieldRules.MaxNameLength)),
            TimeZone = Field("timeZone", () =>
            {
                var zone = Text("timeZone", 64);
                validation.Check("timeZone", LeadFieldRules.CheckTimeZone(zone));
                return zone;
            }),
            Source = Field("source", () => Text("source", LeadFieldRules.MaxShortTextLength)),
            ConsentMethod = Field("consentMethod", () => Text("consentMethod", LeadFieldRules.MaxShortTextLength)),
            ConsentGivenAt = Field("consentGivenAt", () => Timestamp(body, "consentGivenAt", validation)),
            NextAttemptAt = Field("nextAttemptAt", () => Timestamp(body, "nextAttemptAt", validation)),
            Phone = Field("phone", () =>
            {
                var raw = Clean(ReadString(body, "phone", validation));
                if (raw is null)
                {
                    validation.Add("phone", "A lead's phone number cannot be removed (erase the lead instead).");
                    return string.Empty;
                }

                var result = phones.Normalize(raw);
                validation.Check("phone", result.Error);
                return result.E164 ?? string.Empty;
            }),
            Status = Field("status", () =>
            {
                var status = ReadString(body, "status", validation);
                if (status is null || !LeadStatuses.All.Contains(status))
                {
                    validation.Add("status", $"One of: {string.Join(", ", LeadStatuses.All)}.");
                }

                return status ?? string.Empty;
            }),
            Score = Field("score", () =>
            {
                var node = body["score"];
                if (node is null)
                {
                    return (int?)null;
                }

                if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var score) && score is >= 0 and <= 100)
                {
                    return score;
                }

                validation.Add("score", "An integer from 0 to 100, or null.");
                return null;
            }),
            Qualification = Field("qualification", () =>
            {
                if (body["qualification"] is JsonObject answers)
                {
                    return (JsonObject)answers.DeepClone();
                }

                validation.Add("qualification", "An object of answers keyed by question key.");
                return new JsonObject();
            }),
        };
        return validation.IsValid ? patch : null;
    }

    private static string? ReadString(JsonObject body, string field, Validation validation)
    {
        var node = body[field];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>();
        }

        validation.Add(field, "Must be a string or null.");
        return null;
    }

    private static DateTimeOffset? Timestamp(JsonObject body, string field, Validation validation)
    {
        var text = ReadString(body, field, validation);
        if (text is null)
        {
            return null;
        }

        if (LeadFieldRules.TryParseTimestamp(text, out var timestamp))
        {
            return timestamp;
        }

        validation.Add(field, "An ISO 8601 date/time, e.g. 2026-03-01T14:30:00Z.");
        return null;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
