using System.Globalization;

namespace LeadGen.Console.Exports;

/// <summary>One CSV cell: quoted when needed, and with a leading quote on values a spreadsheet would run as a formula.</summary>
internal static class CsvCell
{
    public static string Of(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    public static string Row(params object?[] values) => string.Join(',', values.Select(Of)) + "\r\n";
}
