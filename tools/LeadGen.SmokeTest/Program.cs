using System.CommandLine;
using LeadGen.SmokeTest;
using LeadGen.Tools;

// Exit codes: 0 = every check passed, 1 = a check failed, 2 = bad usage.
var baseUrl = new Option<Uri>("--base-url") { Description = "The deployed service whose /health is checked.", HelpName = "URL", Required = true, CustomParser = ToolCommandLine.HttpUrl };
var apiUrl = new Option<Uri>("--api-url") { Description = "The service that serves /api (the console): the management API call and a text conversation turn. Default: --base-url.", HelpName = "URL", CustomParser = ToolCommandLine.HttpUrl };
var apiKeyEnv = new Option<string>("--api-key-env") { Description = "Environment variable holding the management API key (header X-Api-Key).", HelpName = "NAME", DefaultValueFactory = _ => SmokeOptions.DefaultApiKeyVariable };
var healthWait = new Option<int>("--health-wait") { Description = "Seconds to wait for /health to answer healthy.", HelpName = "SECONDS", DefaultValueFactory = _ => 60, CustomParser = ToolCommandLine.NonNegativeInt };
var timeout = new Option<int>("--timeout") { Description = "Seconds each request may take.", HelpName = "SECONDS", DefaultValueFactory = _ => 30, CustomParser = ToolCommandLine.PositiveInt };
var command = new RootCommand("Checks a deployed LeadGen service: /health at --base-url, then an authenticated management API call and one text conversation turn at --api-url. Exit code 0 = every check passed, 1 = a check failed, 2 = bad usage.")
{
    baseUrl, apiUrl, apiKeyEnv, healthWait, timeout,
};
command.SetAction((parsed, cancellationToken) =>
{
    var service = SmokeOptions.AsBase(parsed.GetRequiredValue(baseUrl));
    var keyVariable = parsed.GetRequiredValue(apiKeyEnv);
    var key = Environment.GetEnvironmentVariable(keyVariable);
    var options = new SmokeOptions(
        service,
        parsed.GetValue(apiUrl) is { } api ? SmokeOptions.AsBase(api) : service,
        string.IsNullOrWhiteSpace(key) ? null : key,
        keyVariable,
        TimeSpan.FromSeconds(parsed.GetValue(healthWait)),
        TimeSpan.FromSeconds(parsed.GetValue(timeout)));
    return SmokeRunner.RunAsync(options, Console.Out, cancellationToken);
});
return await ToolCommandLine.InvokeAsync(command, args);
