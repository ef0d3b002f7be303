using LeadGen.SmokeTest;

var options = SmokeOptions.Parse(args, Environment.GetEnvironmentVariable, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"smoke test: {error}");
    await Console.Error.WriteLineAsync(SmokeOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await SmokeRunner.RunAsync(options, Console.Out, cancel.Token);
