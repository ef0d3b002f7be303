namespace LeadGen.SmokeTest;

/// <summary>Runs every check in order (all of them, even after a failure, so one run shows everything that is wrong).</summary>
internal static class SmokeRunner
{
    public static async Task<int> RunAsync(SmokeOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = options.RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("LeadGen.SmokeTest/1.0");
        // The management API lives on the console service; health is checked on the service given by --base-url.
        using var api = new HttpClient { BaseAddress = options.ApiUrl, Timeout = options.RequestTimeout };
        api.DefaultRequestHeaders.UserAgent.ParseAdd("LeadGen.SmokeTest/1.0");
        (ISmokeCheck Check, HttpClient Client)[] checks =
        [
            (new HealthProbe(options.HealthWait, TimeProvider.System), http),
            (new ManagementApiProbe(options.ApiKey, options.ApiKeyVariable), api),
            (new ConversationProbe(options.ApiKey, options.ApiKeyVariable), api),
        ];

        await output.WriteLineAsync(options.ApiUrl == options.BaseUrl
            ? $"smoke test against {options.BaseUrl}"
            : $"smoke test against {options.BaseUrl} (management API at {options.ApiUrl})");
        var failed = 0;
        foreach (var (check, client) in checks)
        {
            CheckResult result;
            try
            {
                result = await check.RunAsync(client, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                result = CheckResult.Fail(check.Name, $"request failed: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = CheckResult.Fail(check.Name, $"request timed out after {options.RequestTimeout.TotalSeconds:0} s");
            }

            await output.WriteLineAsync(result.ToString());
            failed += result.Passed ? 0 : 1;
        }

        await output.WriteLineAsync(failed == 0 ? $"smoke test passed ({checks.Length} checks)" : $"smoke test FAILED ({failed} of {checks.Length} checks)");
        return failed == 0 ? 0 : 1;
    }
}
