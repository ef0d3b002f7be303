using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LeadGen.Tools;

/// <summary>
/// How every tool and benchmark program runs its <see cref="RootCommand"/>: <c>--help</c> prints the options and exits
/// 0; a command line that does not parse or validate prints one line on standard error (the tool's name, the reasons,
/// a pointer to <c>--help</c>) and exits <see cref="UsageError"/>, never a stack trace or a screen of help.
/// </summary>
internal static class ToolCommandLine
{
    /// <summary>The exit code of a command line that was not usable (as the scripts that run the tools expect).</summary>
    public const int UsageError = 2;

    public static Task<int> InvokeAsync(RootCommand command, string[] args, CancellationToken cancellationToken = default)
    {
        var parsed = command.Parse(args);
        return parsed.Errors.Count == 0 ? parsed.InvokeAsync(cancellationToken: cancellationToken) : Task.FromResult(Reject(parsed));
    }

    /// <summary>
    /// For programs whose body follows the parse (the benchmarks): the result to run with, or null and the exit code when
    /// there is nothing to run (<c>--help</c> printed: 0; bad input: one line, <see cref="UsageError"/>).
    /// </summary>
    public static (ParseResult? Parsed, int ExitCode) Parse(RootCommand command, string[] args)
    {
        var parsed = command.Parse(args);
        return parsed.Errors.Count > 0 ? (null, Reject(parsed))
            : parsed.Action is not null ? (null, parsed.Invoke()) // --help or --version
            : (parsed, 0);
    }

    /// <summary>
    /// For input the command line accepted but the tool could not use (a file that does not parse, an API that refuses):
    /// prints "tool: message" as one line and returns <see cref="UsageError"/>.
    /// </summary>
    public static int Fail(string message)
    {
        System.Console.Error.WriteLine($"{ToolName}: {message.ReplaceLineEndings(" ")}");
        return UsageError;
    }

    private static int Reject(ParseResult parsed)
    {
        System.Console.Error.WriteLine($"{ToolName}: {string.Join("; ", parsed.Errors.Select(error => error.Message.ReplaceLineEndings(" ").TrimEnd('.')))} (--help lists the options)");
        return UsageError;
    }

    private static string ToolName => RootCommand.ExecutableName;

    /// <summary>An absolute http(s) URL (a trailing slash is kept as given).</summary>
    public static Uri? HttpUrl(ArgumentResult result)
    {
        var text = LastToken(result);
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"{OptionName(result)} must be an absolute http(s) URL (got '{text}')");
        return null;
    }

    /// <summary>A whole number of at least 1.</summary>
    public static int PositiveInt(ArgumentResult result)
    {
        var text = LastToken(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            return number;
        }

        result.AddError($"{OptionName(result)} must be a whole number of at least 1 (got '{text}')");
        return 0;
    }

    /// <summary>A whole number of 0 or more.</summary>
    public static int NonNegativeInt(ArgumentResult result)
    {
        var text = LastToken(result);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        result.AddError($"{OptionName(result)} must be a whole number of 0 or more (got '{text}')");
        return 0;
    }

    /// <summary>A number of 0 or more, with '.' as the decimal point whatever the machine's culture.</summary>
    public static double NonNegativeNumber(ArgumentResult result)
    {
        var text = LastToken(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && double.IsFinite(number))
        {
            return number;
        }

        result.AddError($"{OptionName(result)} must be a number of 0 or more (got '{text}')");
        return 0;
    }

    /// <summary>An amount of 0 or more (e.g. a price), '.' as the decimal point.</summary>
    public static decimal NonNegativeDecimal(ArgumentResult result)
    {
        var text = LastToken(result);
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            return number;
        }

        result.AddError($"{OptionName(result)} must be an amount of 0 or more (got '{text}')");
        return 0;
    }

    private static string LastToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
