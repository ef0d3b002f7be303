namespace LeadGen.SmokeTest;

internal interface ISmokeCheck
{
    string Name { get; }

    Task<CheckResult> RunAsync(HttpClient http, CancellationToken cancellationToken);
}
