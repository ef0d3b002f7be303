using System.Globalization;

namespace LeadGen.SmokeTest;

/// <summary>
/// Command line of the smoke test. The management API key is read from an environment variable (never an argument),
/// so it does not show up in process listings or CI logs.
/// </summary>
internal sealed record SmokeOptions(Uri BaseUrl, Uri ApiUrl, string? ApiKey, string ApiKeyVariable, TimeSpan HealthWait, TimeSpan RequestTimeout)
{
    public const string DefaultApiKeyVariable = "LEADGEN_MANAGEMENT_API_KEY";

    public const string Usage = """
        usage: LeadGen.SmokeTest --base-url URL [--api-url URL] [--api-key-env NAME] [--health-wait SECONDS] [--timeout SECONDS]
          Checks a deployed LeadGen service: /health at --base-url, then an authenticated management API call (header
          X-Api-Key) and one text conversation turn at --api-url (the console, which serves /api; default: --base-url).
          The key is read from the environment variable NAME
          (default LEADGEN_MANAGEMENT_API_KEY). Exit code 0 = every check passed, 1 = a check failed, 2 = bad usage.
        """;

    /// <summary>Parses the arguments; returns null with a reason when they are not usable.</summary>
    public static SmokeOptions? Parse(IReadOnlyList<string> args, Func<string, string?> environment, out string? error)
    {
        Uri? baseUrl = null;
        Uri? apiUrl = null;
        var apiKeyVariable = DefaultApiKeyVariable;
        var healthWait = TimeSpan.FromSeconds(60);
        var timeout = TimeSpan.FromSeconds(30);
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--base-url" when value is not null:
                    if (!Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                    {
                        error = $"--base-url must be an absolute http(s) URL (was '{value}').";
                        return null;
                    }

                    i++;
                    break;
                case "--api-url" when value is not null:
                    if (!Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out apiUrl) || apiUrl.Scheme is not ("http" or "https"))
                    {
                        error = $"--api-url must be an absolute http(s) URL (was '{value}').";
                        return null;
                    }

                    i++;
                    break;
                case "--api-key-env" when value is not null:
                    apiKeyVariable = value;
                    i++;
                    break;
                case "--health-wait" when TryParseSeconds(value, out var wait):
                    healthWait = wait;
                    i++;
                    break;
                case "--timeout" when TryParseSeconds(value, out var requestTimeout) && requestTimeout > TimeSpan.Zero:
                    timeout = requestTimeout;
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'.";
                    return null;
            }
        }

        if (baseUrl is null)
        {
            error = "--base-url is required.";
            return null;
        }

        var apiKey = environment(apiKeyVariable);
        return new SmokeOptions(baseUrl, apiUrl ?? baseUrl, string.IsNullOrWhiteSpace(apiKey) ? null : apiKey, apiKeyVariable, healthWait, timeout);
    }

    private static bool TryParseSeconds(string? value, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        result = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
