namespace LeadGen.Canary;

/// <summary>Reads <c>--name value</c> pairs; every option is named, none is positional.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new UsageException($"expected '--name value', got '{args[i]}'");
            }

            line._values[args[i][2..]] = args[++i];
        }

        return line;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw new UsageException($"--{name} is required");

    public string? Optional(string name) => _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public double Number(string name, double fallback) =>
        Optional(name) is { } text
            ? double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value
                : throw new UsageException($"--{name} must be a non-negative number (was '{text}')")
            : fallback;
}

internal sealed class UsageException(string message) : Exception(message);
