namespace LeadGen.Core.Leads.Import;

/// <summary>The lead fields an import can fill.</summary>
public enum LeadColumn
{
    Name,
    FirstName,
    LastName,
    Phone,
    Email,
    Company,
    Role,
    TimeZone,
    Source,
    ConsentGivenAt,
    ConsentMethod,
    Country,
}

/// <summary>
/// Maps the column names people use to lead fields. Names are compared ignoring case, spaces, '_', '-' and '.', so
/// "Phone Number", "phone_number" and "PhoneNumber" are one name.
/// </summary>
public static class LeadColumns
{
    public const int Count = (int)LeadColumn.Country + 1;

    private static readonly Dictionary<string, LeadColumn> Aliases = Build(new()
    {
        [LeadColumn.Name] = ["name", "full name", "contact name", "contact", "lead name"],
        [LeadColumn.FirstName] = ["first name", "firstname", "given name", "first"],
        [LeadColumn.LastName] = ["last name", "lastname", "surname", "family name", "last"],
        [LeadColumn.Phone] = ["phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "number", "contact number", "phone e164"],
        [LeadColumn.Email] = ["email", "e-mail", "email address", "mail"],
        [LeadColumn.Company] = ["company", "company name", "organization", "organisation", "account", "account name", "business"],
        [LeadColumn.Role] = ["role", "title", "job title", "position", "job"],
        [LeadColumn.TimeZone] = ["time zone", "timezone", "tz"],
        [LeadColumn.Source] = ["source", "lead source"],
        [LeadColumn.ConsentGivenAt] = ["consent given at", "consent at", "consent date", "consented at", "opt in date", "opt-in date", "opted in at"],
        [LeadColumn.ConsentMethod] = ["consent method", "consent source", "opt in method", "opt-in method"],
        [LeadColumn.Country] = ["country", "country code", "region"],
    });

    /// <summary>The canonical (snake_case) name of a field, used in JSON lines and error messages.</summary>
    public static string CanonicalName(LeadColumn column) => column switch
    {
        LeadColumn.FirstName => "first_name",
        LeadColumn.LastName => "last_name",
        LeadColumn.TimeZone => "time_zone",
        LeadColumn.ConsentGivenAt => "consent_given_at",
        LeadColumn.ConsentMethod => "consent_method",
        _ => column.ToString().ToLowerInvariant(),
    };

    public static bool TryMap(string header, out LeadColumn column) => Aliases.TryGetValue(Normalize(header), out column);

    private static string Normalize(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static Dictionary<string, LeadColumn> Build(Dictionary<LeadColumn, string[]> aliases)
    {
        var map = new Dictionary<string, LeadColumn>(StringComparer.Ordinal);
        foreach (var (column, names) in aliases)
        {
            foreach (var name in names.Append(CanonicalName(column)))
            {
                map[Normalize(name)] = column;
            }
        }

        return map;
    }
}
