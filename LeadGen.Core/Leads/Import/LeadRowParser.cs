namespace LeadGen.Core.Leads.Import;

/// <summary>Validates and normalises one import row into a <see cref="NewLead"/>; every problem becomes a row error.</summary>
public sealed class LeadRowParser(PhoneNumberNormalizer phoneNumbers)
{
    /// <returns>The lead, or null when the row has errors (they are added to <paramref name="record"/>).</returns>
    public NewLead? Parse(LeadRecord record, LeadRecordReader reader) => Parse(record, reader.ColumnName);

    /// <param name="record">The row; errors are added to it.</param>
    /// <param name="columnName">How the source names each field (for error messages).</param>
    public NewLead? Parse(LeadRecord record, Func<LeadColumn, string> columnName)
    {
        string Column(LeadColumn column) => columnName(column);

        string? Text(LeadColumn column, int max)
        {
            var value = record[column];
            if (LeadFieldRules.CheckLength(value, max) is { } problem)
            {
                record.Reject(Column(column), problem);
            }

            return value;
        }

        var name = Text(LeadColumn.Name, LeadFieldRules.MaxNameLength);
        var firstName = record[LeadColumn.FirstName];
        var lastName = record[LeadColumn.LastName];
        if (name is null && (firstName is not null || lastName is not null))
        {
            name = string.Join(' ', new[] { firstName, lastName }.Where(part => part is not null));
            if (LeadFieldRules.CheckLength(name, LeadFieldRules.MaxNameLength) is { } problem)
            {
                record.Reject(Column(LeadColumn.FirstName), problem);
            }
        }

        PhoneNumberResult? phone = null;
        if (record[LeadColumn.Phone] is not { } rawPhone)
        {
            record.Reject(Column(LeadColumn.Phone), "a phone number is required");
        }
        else
        {
            phone = phoneNumbers.Normalize(rawPhone, record[LeadColumn.Country]);
            if (phone.Error is not null)
            {
                record.Reject(Column(phone.Error.StartsWith("unknown country", StringComparison.Ordinal) ? LeadColumn.Country : LeadColumn.Phone), phone.Error);
            }
        }

        var email = record[LeadColumn.Email];
        if (LeadFieldRules.CheckEmail(email) is { } emailProblem)
        {
            record.Reject(Column(LeadColumn.Email), emailProblem);
        }

        var timeZone = record[LeadColumn.TimeZone];
        if (LeadFieldRules.CheckTimeZone(timeZone) is { } zoneProblem)
        {
            record.Reject(Column(LeadColumn.TimeZone), zoneProblem);
        }

        DateTimeOffset? consentGivenAt = null;
        if (record[LeadColumn.ConsentGivenAt] is { } consentText)
        {
            if (LeadFieldRules.TryParseTimestamp(consentText, out var parsed))
            {
                consentGivenAt = parsed;
            }
            else
            {
                record.Reject(Column(LeadColumn.ConsentGivenAt), "not a date/time (use ISO 8601, e.g. 2026-03-01T14:30:00Z)");
            }
        }

        var company = Text(LeadColumn.Company, LeadFieldRules.MaxNameLength);
        var role = Text(LeadColumn.Role, LeadFieldRules.MaxNameLength);
        var source = Text(LeadColumn.Source, LeadFieldRules.MaxShortTextLength);
        var consentMethod = Text(LeadColumn.ConsentMethod, LeadFieldRules.MaxShortTextLength);
        if (record.Errors.Count > 0 || phone?.E164 is null)
        {
            return null;
        }

        return new NewLead
        {
            Name = name,
            Phone = phone.E164,
            Email = email,
            Company = company,
            Role = role,
            TimeZone = timeZone ?? phone.TimeZone,
            Source = source,
            ConsentGivenAt = consentGivenAt,
            ConsentMethod = consentMethod,
        };
    }
}
